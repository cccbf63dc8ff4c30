import Buildinfo
import Foundation
import Glibc
import Rebuild
import Testing

/// The local backend deletes and recreates its build directory: below the operator's build root it
/// must never go through a symbolic link, wherever the buildinfo's Build-Path points.
@Suite struct BuildLocationTests {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("build-location-\(UUID().uuidString)").path

    /// A root with a pool holding a (fake) .dsc, so the backend gets as far as the build directory.
    private func prepare() throws -> (root: String, pool: String, buildinfo: Buildinfo) {
        let root = base + "/root"
        let pool = base + "/pool"
        for directory in [root, pool] { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        #expect(FileManager.default.createFile(atPath: pool + "/hello_1.0-1.dsc", contents: Data("not a real dsc".utf8)))
        let text = "Format: 1.0\nSource: hello\nBinary: hello\nArchitecture: amd64\nVersion: 1.0-1\n"
            + "Checksums-Sha256:\n \(String(repeating: "a", count: 64)) 1 hello_1.0-1_amd64.deb\n"
        return (root, pool, try Buildinfo.parse(Array(text.utf8), path: "hello.buildinfo"))
    }

    @Test func aBuildPathThroughALinkBelowTheRootTouchesNothingOutside() throws {
        defer { try? FileManager.default.removeItem(atPath: base) }
        let (root, pool, buildinfo) = try prepare()
        let victim = base + "/victim"
        try FileManager.default.createDirectory(atPath: victim + "/hello-1.0/precious", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: victim + "/hello-1.0/precious/file", contents: Data("keep".utf8)))
        #expect(symlink(victim, root + "/linked") == 0)

        let lines = LogLines()
        let backend = LocalBackend(pool: pool, location: BuildLocation(root: root, relative: "linked/hello-1.0")) { lines.append($0) }
        let status = backend.rebuild(buildinfo, into: base + "/output")

        #expect(status == LocalBackend.exitBuildFailed)
        #expect(lines.text.contains("goes through a symbolic link"), "\(lines.text)")
        #expect(FileManager.default.fileExists(atPath: victim + "/hello-1.0/precious/file"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: victim) == ["hello-1.0"])
    }

    @Test func aLinkAsTheBuildDirectoryItselfIsRemovedAsALink() throws {
        defer { try? FileManager.default.removeItem(atPath: base) }
        let (root, pool, buildinfo) = try prepare()
        let victim = base + "/victim"
        try FileManager.default.createDirectory(atPath: victim, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: victim + "/file", contents: Data("keep".utf8)))
        try FileManager.default.createDirectory(atPath: root + "/path", withIntermediateDirectories: true)
        #expect(symlink(victim, root + "/path/hello-1.0") == 0)

        let lines = LogLines()
        let backend = LocalBackend(pool: pool, location: BuildLocation(root: root, relative: "path/hello-1.0")) { lines.append($0) }
        // The fake .dsc makes dpkg-source fail after the old build directory (the link) is gone.
        _ = backend.rebuild(buildinfo, into: base + "/output")

        #expect(FileManager.default.fileExists(atPath: victim + "/file"))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: root + "/path/hello-1.0")) == nil)
        #expect(FileManager.default.fileExists(atPath: root + "/path/hello-1.0.lock"))
    }
}

/// Lines a backend logged, collected from whichever thread logs them.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var text: String { lock.withLock { lines.joined(separator: "\n") } }
}
