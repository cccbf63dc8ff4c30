import Buildinfo
import Testing
import TestSupport
import Upstream

@Suite("Robustness: mangled input never crashes and never yields an unsafe build")
struct RobustnessTests {
    static let pieces: [String] = [
        "/", "//", "/buildinfo-pool/", "b/", "bash", "lib", "libf/", "libfoo", "_", "5.1-3", "+b1", "~rc1", "1:",
        "-", ".", "..", "amd64", "all", ".buildinfo", "\n", "\r\n", " ", "\t", "%2B", "\\", "<", "é", "\u{202E}",
        "Package: ", "Version: ", "Source: ", "Architecture: ", " (", ")", "\n\n", " .", "#", ":",
    ]

    static func mangled(_ rng: inout SeededGenerator) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 0..<60, using: &rng) {
            if Int.random(in: 0..<20, using: &rng) == 0 {
                bytes.append(UInt8.random(in: 1...255, using: &rng))
            } else {
                bytes += Array(pieces.randomElement(using: &rng)!.utf8)
            }
        }
        return bytes
    }

    /// What every build handed to the getter must satisfy, whatever the input.
    static func checkSafe(_ selection: Selection, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(selection.builds.count + selection.rejected.count <= max(selection.entriesRead, 1) * 2,
                sourceLocation: sourceLocation)
        for build in selection.builds {
            let allowed = build.fileName.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
                    || ".+~_-".utf8.contains($0)
            }
            #expect(allowed, "file name \(build.fileName)", sourceLocation: sourceLocation)
            #expect(build.fileName == "\(build.source)_\(build.version.withoutEpoch)_\(build.architecture).buildinfo",
                    sourceLocation: sourceLocation)
            #expect(build.path.hasSuffix("/" + build.fileName), sourceLocation: sourceLocation)
            #expect(!build.path.contains("..") && !build.path.contains("//"), sourceLocation: sourceLocation)
        }
        for entry in selection.rejected {
            #expect(entry.text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value <= 0x7E || $0 == "…" },
                    sourceLocation: sourceLocation)
        }
    }

    @Test("BuildinfoPool, PackageSet and ArchiveIndex on 3,000 mangled inputs")
    func mangledInputs() {
        var rng = SeededGenerator(seed: 20_211_122)
        var selections = 0
        for _ in 0..<3_000 {
            let a = Self.mangled(&rng)
            let b = Self.mangled(&rng)
            // Some good lines, so that most listings pass the whole-listing checks and reach the line checks.
            let good = (0..<6).map { poolLine("p\($0 % 4)", "1.\(Int.random(in: 0..<9, using: &rng))-1") + "\n" }.joined()
            if let selection = try? BuildinfoPool.latest(listing: Array(good.utf8) + a, architecture: "amd64", source: "l") {
                Self.checkSafe(selection)
                selections += 1
            }
            _ = try? PackageSet.names(in: a, source: "s")
            if let selection = try? ArchiveIndex.builds(sources: a, packages: b, architecture: "amd64", source: "m") {
                Self.checkSafe(selection)
            }
            let qubes = try! QubesDistribution(parsing: "qubes-4.1-vm-bullseye")
            Self.checkSafe(QubesRepository.candidates(
                paths: [String(decoding: a, as: UTF8.self), String(decoding: b, as: UTF8.self)],
                distribution: qubes, source: "r"))
        }
        // Some inputs must have got through the whole-listing checks, or this tested little.
        #expect(selections > 100)
    }

    @Test("good lines mixed with mangled ones still give exactly the good builds")
    func goodAmongMangled() throws {
        var rng = SeededGenerator(seed: 7)
        var lines: [String] = []
        for k in 0..<300 {
            lines.append(poolLine("pkg\(k)", "1.\(k)-1"))
            if k % 3 == 0 {
                // A mangled line that cannot be a valid line: it has a space in it.
                // ASCII without NUL or '<', so that the listing as a whole is still a listing.
                let junk = Self.mangled(&rng).filter { $0 != 0x0A && $0 != 0x0D && $0 != 0 && $0 < 0x80 && $0 != UInt8(ascii: "<") }
                lines.append(String(decoding: junk, as: UTF8.self) + " x")
            }
        }
        let selection = try BuildinfoPool.latest(listing: Array(lines.joined(separator: "\n").utf8), architecture: "amd64", source: "l")
        #expect(selection.builds.count == 300)
        #expect(selection.rejected.count == 100)
        #expect(selection.entriesRead == 400)
        Self.checkSafe(selection)
    }
}
