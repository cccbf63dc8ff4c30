import Fetching
import Foundation
import Testing

@Suite struct XZTests {
    /// `content` compressed by the xz command-line tool.
    private func compressed(_ content: [UInt8], _ directory: TemporaryDirectory, name: String = "Packages",
                            options: [String] = []) throws -> [UInt8] {
        let path = try directory.write(name, content)
        try runTool("/usr/bin/xz", ["-k", "-f"] + options + [path])
        return Array(try Data(contentsOf: URL(fileURLWithPath: path + ".xz")))
    }

    /// Text that compresses well, like an index.
    private let text = Array((0..<20_000).map { "Package: p\($0)\nVersion: 1.\($0 % 7)\n\n" }.joined().utf8)

    @Test func whatXzCompressesDecodesToTheSameBytes() throws {
        let directory = try TemporaryDirectory()
        let source = text + patternedBytes(100_000)
        let xz = try compressed(source, directory)
        #expect(try XZ.decompress(xz, maximumBytes: 64 << 20, source: "Packages.xz") == source)
    }

    @Test func concatenatedStreamsAndPaddingAreAllDecoded() throws {
        let directory = try TemporaryDirectory()
        let first = try compressed(Array("first\n".utf8), directory, name: "a")
        let second = try compressed(Array("second\n".utf8), directory, name: "b")
        let empty = try compressed([], directory, name: "c")
        #expect(try XZ.decompress(first + empty + second, maximumBytes: 100, source: "s") == Array("first\nsecond\n".utf8))
        // Stream padding: multiples of four zero bytes between and after streams.
        #expect(try XZ.decompress(first + [0, 0, 0, 0] + second + [0, 0, 0, 0], maximumBytes: 100, source: "s")
                == Array("first\nsecond\n".utf8))
    }

    @Test func anEmptyFileCompressedDecodesToNothing() throws {
        let directory = try TemporaryDirectory()
        let empty = try compressed([], directory)
        #expect(try XZ.decompress(empty, maximumBytes: 0, source: "s") == [])
        #expect(try XZ.decompress(empty + empty, maximumBytes: 0, source: "s") == [])
    }

    @Test func noBytesAtAllAreAnError() {
        let error = #expect(throws: XZError.self) { try XZ.decompress([], maximumBytes: 100, source: "empty.xz") }
        #expect(error?.source == "empty.xz")
    }

    @Test func corruptInputIsAnError() throws {
        let directory = try TemporaryDirectory()
        let xz = try compressed(text, directory)
        for position in [xz.count / 2, 20, xz.count - 10] {
            var corrupt = xz
            corrupt[position] ^= 0x55
            let error = #expect(throws: XZError.self) { try XZ.decompress(corrupt, maximumBytes: 64 << 20, source: "Sources.xz") }
            #expect(error?.description.hasPrefix("Sources.xz: ") == true)
        }
    }

    @Test func truncatedInputIsAnError() throws {
        let directory = try TemporaryDirectory()
        let xz = try compressed(text, directory)
        for length in [xz.count - 1, xz.count / 2, 12, 3] {
            #expect(throws: XZError.self) { try XZ.decompress(Array(xz.prefix(length)), maximumBytes: 64 << 20, source: "s") }
        }
    }

    @Test(arguments: ["P", "Package: x\n", "Package: x\nVersion: 1\n\n"])
    func somethingElseThanXzIsAnError(text: String) throws {
        let error = #expect(throws: XZError.self) { try XZ.decompress(Array(text.utf8), maximumBytes: 100, source: "s") }
        #expect(error?.reason == "not in the .xz format")
    }

    @Test func outputOverTheLimitIsAnErrorAndTheLimitItselfIsNot() throws {
        let directory = try TemporaryDirectory()
        let xz = try compressed(text, directory)
        #expect(try XZ.decompress(xz, maximumBytes: text.count, source: "s").count == text.count)
        let error = #expect(throws: XZError.self) { try XZ.decompress(xz, maximumBytes: text.count - 1, source: "Packages.xz") }
        #expect(error?.description == "Packages.xz: decompressed data larger than the limit of \(text.count - 1) bytes")
    }

    @Test func aSmallFileThatExpandsHugelyStopsAtTheLimit() throws {
        let directory = try TemporaryDirectory()
        let xz = try compressed([UInt8](repeating: 0, count: 50 << 20), directory)
        #expect(xz.count < 100_000)
        #expect(throws: XZError.self) { try XZ.decompress(xz, maximumBytes: 1 << 20, source: "bomb.xz") }
    }
}
