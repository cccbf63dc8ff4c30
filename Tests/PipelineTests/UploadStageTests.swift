import Foundation
import Glibc
import Spool
import Testing

/// The upload stage through a real sshd on 127.0.0.1 with throwaway keys.
@Suite(.serialized) struct UploadStageTests {
    static let available = SshdFixture.available && FileManager.default.isExecutableFile(atPath: "/usr/bin/rsync")

    /// A published tree with one source's links and a large log, so that an upload takes a while.
    static func publishTree(_ project: String, largeBytes: Int) throws {
        let version = "\(project)/sources/hello/1.0-1"
        try FileManager.default.createDirectory(atPath: version, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(project)/logs", withIntermediateDirectories: true)
        try Data("{\"signed\": {}}".utf8).write(to: URL(fileURLWithPath: "\(version)/rebuild.0123abcd.link"))
        try FileManager.default.createSymbolicLink(atPath: "\(version)/metadata", withDestinationPath: "rebuild.0123abcd.link")
        try FileManager.default.createSymbolicLink(atPath: "\(project)/sources/hello-doc", withDestinationPath: "hello")
        let chunk = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/urandom")).read(upToCount: 1 << 20) ?? Data()
        FileManager.default.createFile(atPath: "\(project)/logs/big.log", contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(project)/logs/big.log"))
        for _ in 0..<(largeBytes >> 20) { handle.write(chunk) }
        try handle.close()
    }

    /// Every symbolic link in the remote tree leads to a file, and every visible file is whole.
    static func checkConsistent(remote: String, local: String) -> [String] {
        var problems: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: remote)
        while let relative = enumerator?.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") { enumerator?.skipDescendants(); continue }
            let path = "\(remote)/\(relative)"
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            if status.st_mode & S_IFMT == S_IFLNK {
                if !FileManager.default.fileExists(atPath: path) { problems.append("dangling link \(relative)") }
            } else if status.st_mode & S_IFMT == S_IFREG {
                if !FileManager.default.contentsEqual(atPath: path, andPath: "\(local)/\(relative)") { problems.append("partial file \(relative)") }
            }
        }
        return problems
    }

    @Test(.enabled(if: available), .timeLimit(.minutes(5)))
    func killedUploadLeavesTheRemoteConsistentAndTheRetryCompletesIt() throws {
        let base = "/var/tmp/upload-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let sshd = try SshdFixture(directory: base + "/sshd")
        let remote = base + "/remote"
        let fixture = try PipelineFixture(
            spoolSettings: "backoff = 0.2\nmax-backoff = 0.2\n", builtInStages: ["upload"],
            sections: """
                [publish]
                root = \(base)/published
                ssh-port = \(sshd.port)
                known-hosts = \(sshd.knownHosts)

                [debian]
                repo-remote-ssh-host = \(NSUserName())@127.0.0.1
                repo-remote-ssh-basedir = \(remote)
                repo-ssh-key = \(sshd.userKey)
                """)
        let local = "\(base)/published/debian"
        try Self.publishTree(local, largeBytes: 800 << 20)
        let id = try BuiltTask(source: "hello", version: "1.0-1", architecture: "all", debs: []).place(in: fixture)
        guard rename(fixture.spool.path(.attesting, id), fixture.spool.path(.uploading, id)) == 0 else { throw FixtureError("move: \(errno)") }

        try fixture.startStage("upload", ["--no-watch"])
        // Kill rsync, both ends, while the first run is writing the large file on the remote side
        // (under a hidden temporary name until --delay-updates renames it at the end).
        let started = fixture.waitUntil(seconds: 60) {
            ((try? FileManager.default.subpathsOfDirectory(atPath: "\(remote)/debian/logs")) ?? []).contains { $0.hasPrefix(".") }
        }
        #expect(started, "the upload never began: \(fixture.daemonLogs())")
        _ = try? SigningKeys.output("/usr/bin/pkill", ["-9", "-f", "rsync.*\(remote)"])
        #expect(Self.checkConsistent(remote: "\(remote)/debian", local: local) == [])

        #expect(fixture.waitUntil(seconds: 120) { fixture.entries(.uploaded).count == 1 }, "\(fixture.daemonLogs())")
        #expect(Self.checkConsistent(remote: "\(remote)/debian", local: local) == [])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(remote)/debian/sources/hello/1.0-1/metadata") == "rebuild.0123abcd.link")
        #expect(FileManager.default.contentsEqual(atPath: "\(remote)/debian/logs/big.log", andPath: "\(local)/logs/big.log"))
        let history = try fixture.spool.history(of: TaskID(id)!)
        #expect(history.contains { $0.event == "deferred" && $0.detail.contains("rsync") }, "\(history)")
        #expect(history.last { $0.event == "uploaded" } != nil)
    }

    @Test(.enabled(if: available))
    func aProjectWithoutAnUploadHostIsNotUploaded() throws {
        let fixture = try PipelineFixture(builtInStages: ["upload"], sections: "[publish]\nroot = /var/tmp/upload-none-\(UUID().uuidString.prefix(8))\n\n[debian]\n")
        let id = try BuiltTask(source: "quiet", version: "1.0-1", architecture: "all", debs: []).place(in: fixture)
        guard rename(fixture.spool.path(.attesting, id), fixture.spool.path(.uploading, id)) == 0 else { throw FixtureError("move: \(errno)") }
        try fixture.run(["stage", "upload", "--once", "--no-watch"])
        #expect(fixture.entries(.uploaded) == [id])
        #expect(try fixture.spool.history(of: TaskID(id)!).contains { $0.event == "not-uploaded" && $0.detail.contains("no repo-remote-ssh-host in [debian]") })
    }
}
