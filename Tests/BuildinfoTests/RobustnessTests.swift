import Buildinfo
import Foundation
import Testing
import TestSupport

// Serialized so that the time limits measure one test, not the whole suite sharing the cores.
@Suite("Robustness: huge lines, the fuzzing corpus, random mutations", .serialized)
struct RobustnessTests {
    static let tenMegabytes = 10 * 1024 * 1024

    func timed(_ body: () -> Void) -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        body()
        return clock.now - start
    }

    @Test("a 10 MB line without a colon fails cleanly and fast")
    func hugeLineWithoutColon() {
        let bytes = [UInt8](repeating: UInt8(ascii: "x"), count: Self.tenMegabytes)
        let elapsed = timed {
            expectBuildinfoError(bytes, line: 1, field: nil,
                                 "expected 'Field: value', got '\(String(repeating: "x", count: 100))…'")
        }
        #expect(elapsed < .seconds(10), "took \(elapsed)")
    }

    @Test("a 10 MB Format value fails cleanly and fast")
    func hugeFormat() {
        let bytes = Array("Format: ".utf8) + [UInt8](repeating: UInt8(ascii: "1"), count: Self.tenMegabytes) + [0x0A]
        let elapsed = timed {
            expectBuildinfoError(bytes, line: 1, field: "Format",
                                 "invalid format '\(String(repeating: "1", count: 100))…' (expected '<major>.<minor>')")
        }
        #expect(elapsed < .seconds(10), "took \(elapsed)")
    }

    @Test("a 10 MB value in an unknown field of a signed file parses, fast")
    func hugeValueParses() throws {
        var lines = ClearsignTests.signedMinimalLines
        lines.insert("X-Huge: " + String(repeating: "y", count: Self.tenMegabytes), at: 4)
        let bytes = Array(Fixture.text(lines).utf8)
        var info: Buildinfo?
        var paragraphs: [Deb822Paragraph] = []
        let elapsed = timed {
            do {
                info = try Buildinfo.parse(bytes, path: "h")
                let message = try ClearsignedMessage.split(bytes, path: "h")
                paragraphs = try Deb822.parse(message.text, path: "h", firstLine: message.firstLine)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        #expect(info?.source == "hello-rb")
        // All but the 49 bytes of header lines, the signature block and the line break before it.
        #expect(info?.signature?.signedText.count == bytes.count - 49 - Fixture.text(ClearsignTests.signatureLines).utf8.count - 1)
        #expect(paragraphs.first?["x-huge"]?.firstLine.utf8.count == Self.tenMegabytes)
        #expect(paragraphs.first?["x-huge"]?.line == 5)
        #expect(elapsed < .seconds(10), "took \(elapsed)")
    }

    @Test("a 10 MB line with invalid UTF-8 at its end fails cleanly and fast")
    func hugeInvalidUTF8() {
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: Self.tenMegabytes)
        bytes[bytes.count - 1] = 0xFE
        let elapsed = timed {
            expectBuildinfoError(bytes, line: 1, field: nil, "invalid UTF-8 at column \(Self.tenMegabytes) (byte 0xfe)")
        }
        #expect(elapsed < .seconds(10), "took \(elapsed)")
    }

    /// Linear in the number of lines too. (A debug build needs about 0.5 µs a line, so 1 MB here;
    /// a release build reads 10 MB of newlines in about 0.2 s.)
    @Test("a million empty lines")
    func manyLines() {
        let elapsed = timed {
            expectBuildinfoError([UInt8](repeating: 0x0A, count: 1 << 20), line: nil, field: nil,
                                 "no fields: the file has no deb822 paragraph")
            expectBuildinfoError([UInt8](repeating: 0x0A, count: 1 << 20) + Array("x\n".utf8), line: (1 << 20) + 1, field: nil,
                                 "expected 'Field: value', got 'x'")
        }
        #expect(elapsed < .seconds(10), "took \(elapsed)")
    }

    /// Parses `bytes`: nil if they make a `Buildinfo`, else the `BuildinfoError` (typed throws
    /// make any other error impossible to compile; a trap would end the test process).
    func parseError(_ bytes: [UInt8]) -> BuildinfoError? {
        do {
            let info = try Buildinfo.parse(bytes, path: "m")
            _ = info.canonicalFileName
            return nil
        } catch {
            #expect(!error.description.isEmpty)
            #expect(error.path == "m")
            return error
        }
    }

    @Test("every file of the fuzzing seed corpus parses or throws BuildinfoError")
    func corpus() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixture.corpusDirectory.path).sorted()
        #expect(names.count >= 8)
        var parsed: [String] = []
        for name in names {
            let bytes = try #require(Fixture.read(Fixture.corpusDirectory.appendingPathComponent(name)))
            if parseError(bytes) == nil { parsed.append(name) }
            _ = try? ClearsignedMessage.split(bytes, path: name)
            _ = try? Deb822.parse(bytes, path: name, allowComments: true)
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                if let v = try? DebianVersion(String(line)) { #expect(try DebianVersion(v.description) == v) }
            }
        }
        // The five real or generated buildinfo files and the tiny one must parse.
        #expect(parsed.filter { $0.hasSuffix(".buildinfo") }.count == 6, "\(parsed)")
    }

    @Test("random mutations of the real file parse or throw BuildinfoError")
    func mutations() {
        var rng = SeededGenerator(seed: 20_210_725)
        let original = Fixture.bash
        let lineStarts = [0] + original.indices.filter { original[$0] == 0x0A }.map { $0 + 1 }.filter { $0 < original.count }
        var successes = 0
        var failures = 0
        var kinds: Set<String> = []
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                guard !bytes.isEmpty else { break }
                switch Int.random(in: 0..<6, using: &rng) {
                case 0:  // flip a bit
                    let i = Int.random(in: 0..<bytes.count, using: &rng)
                    bytes[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
                case 1:  // replace a byte with an interesting one
                    let i = Int.random(in: 0..<bytes.count, using: &rng)
                    bytes[i] = [0x00, 0x0A, 0x0D, 0x20, 0x2D, 0x3A, 0x28, 0x2C, 0x22, 0x5C, 0x80, 0xFF].randomElement(using: &rng)!
                case 2:  // truncate
                    bytes.removeLast(Int.random(in: 0..<bytes.count, using: &rng))
                case 3:  // duplicate a line of the original
                    let start = lineStarts.randomElement(using: &rng)!
                    let end = original[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? original.count
                    bytes.insert(contentsOf: original[start..<end], at: min(lineStarts.randomElement(using: &rng)!, bytes.count))
                case 4:  // delete a range
                    let i = Int.random(in: 0..<bytes.count, using: &rng)
                    bytes.removeSubrange(i..<min(bytes.count, i + Int.random(in: 1...40, using: &rng)))
                default:  // swap two bytes
                    let i = Int.random(in: 0..<bytes.count, using: &rng)
                    let j = Int.random(in: 0..<bytes.count, using: &rng)
                    bytes.swapAt(i, j)
                }
            }
            if let error = parseError(bytes) {
                failures += 1
                if let colon = error.message.firstIndex(of: ":") ?? error.message.firstIndex(of: "'") {
                    kinds.insert((error.field ?? "") + " " + error.message[..<colon])
                } else {
                    kinds.insert((error.field ?? "") + " " + error.message)
                }
            } else {
                successes += 1
            }
        }
        // Both outcomes occur, and the failures are varied, so the mutations reach deep.
        #expect(successes > 100, "\(successes) parsed")
        #expect(failures > 1000, "\(failures) failed")
        #expect(kinds.count > 15, "\(kinds.sorted())")
    }
}
