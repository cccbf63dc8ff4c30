import FileSystem
import Foundation
import Rebuild

/// How fast the build stage hashes artifacts (FileDigest, swift-crypto) against `sha256sum` and
/// `openssl dgst -sha256` on the same file, each best of three, the file in the page cache.
struct ArtifactHashingResult: Codable, Sendable {
    var fileBytes: Int
    var ownGBPerSecond: Double
    var sha256sumGBPerSecond: Double?
    var opensslGBPerSecond: Double?
    var ownOverOpenssl: Double? { opensslGBPerSecond.map { ownGBPerSecond / $0 } }
}

enum ArtifactHashing {
    static func measure(in directory: String, bytes: Int = 512 << 20) throws -> ArtifactHashingResult {
        let path = directory + "/artifact.bin"
        var block = [UInt8](repeating: 0, count: 1 << 20)
        for index in block.indices { block[index] = UInt8(truncatingIfNeeded: index &* 2654435761 >> 13) }
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        for round in 0..<(bytes >> 20) {
            block[0] = UInt8(truncatingIfNeeded: round)
            try handle.write(contentsOf: block)
        }
        try handle.close()
        defer { try? FileManager.default.removeItem(atPath: path) }

        let own = try best { _ = try FileDigest.of(path: path) }
        let sha256sum = try? best { try runTool("/usr/bin/sha256sum", [path]) }
        let openssl = try? best { try runTool("/usr/bin/openssl", ["dgst", "-sha256", path]) }
        func rate(_ seconds: Double) -> Double { Double(bytes) / seconds / 1e9 }
        return ArtifactHashingResult(fileBytes: bytes, ownGBPerSecond: rate(own),
                                     sha256sumGBPerSecond: sha256sum.map(rate), opensslGBPerSecond: openssl.map(rate))
    }

    private static func best(_ body: () throws -> Void) throws -> Double {
        var fastest = Double.infinity
        for _ in 0..<3 {
            let start = Clock.monotonic()
            try body()
            fastest = min(fastest, Clock.monotonic() - start)
        }
        return fastest
    }

    private static func runTool(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw UsageError(description: "\(executable) exited \(process.terminationStatus)") }
    }
}
