import Crypto
import Foundation
import Rebuild
import Spool

/// A task as the build stage leaves it in attesting/: its buildinfo and `records/<ID>/build/result.json`.
struct BuiltTask {
    struct Deb {
        var name: String
        var shipped: [UInt8]
        /// nil: not rebuilt; equal to `shipped`: reproduced.
        var rebuilt: [UInt8]?
    }

    var source: String
    var version: String
    var architecture: String
    var debs: [Deb]

    var fileName: String {
        let withoutEpoch = version.split(separator: ":", maxSplits: 1).last.map(String.init) ?? version
        return "\(source)_\(withoutEpoch)_\(architecture).buildinfo"
    }

    var buildinfo: String {
        let binaries = debs.map { String($0.name.split(separator: "_")[0]) }
        let checksums = debs.map { " \(BuiltTask.sha256($0.shipped)) \($0.shipped.count) \($0.name)" }.joined(separator: "\n")
        return """
            Format: 1.0
            Source: \(source)
            Binary: \(binaries.joined(separator: " "))
            Architecture: \(architecture)
            Version: \(version)
            Checksums-Sha256:
            \(checksums)
            Build-Origin: Debian
            Build-Architecture: amd64
            Build-Date: Sat, 21 Nov 2026 12:00:00 +0000
            Installed-Build-Depends:
             dpkg (= 1.21.22)
            Environment:
             LANG="C"

            """
    }

    /// Submits the buildinfo (with `labels` as submit options), moves it to attesting/ as the build
    /// stage would, and writes its build record; returns the task id.
    func place(in fixture: PipelineFixture, submitOptions: [String] = []) throws -> String {
        let incoming = fixture.base + "/incoming"
        try FileManager.default.createDirectory(atPath: incoming, withIntermediateDirectories: true)
        try buildinfo.write(toFile: "\(incoming)/\(fileName)", atomically: true, encoding: .utf8)
        let id = try fixture.run(["submit", "\(incoming)/\(fileName)"] + submitOptions).trimmingCharacters(in: .whitespacesAndNewlines)
        let spool = fixture.spool
        guard rename(spool.path(.new, id), spool.path(.attesting, id)) == 0 else { throw FixtureError("cannot move \(id): \(errno)") }
        let artifacts = debs.map {
            ArtifactResult(name: $0.name, expectedSHA256: BuiltTask.sha256($0.shipped), expectedSize: $0.shipped.count,
                           rebuiltSHA256: $0.rebuilt.map(BuiltTask.sha256), rebuiltSize: $0.rebuilt?.count)
        }
        let record = RebuildRecord(task: id, source: source, version: version, verdict: ArtifactComparison.verdict(of: artifacts),
                                   backend: "test", attempt: 1, started: "2026-11-21T12:00:00.000000Z", durationSeconds: 1,
                                   backendExit: "exit 0", logTruncated: false, artifacts: artifacts)
        try FileManager.default.createDirectory(atPath: spool.recordPath(TaskID(id)!, "build"), withIntermediateDirectories: true)
        try record.json().write(to: URL(fileURLWithPath: spool.recordPath(TaskID(id)!, "build/result.json")))
        return id
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
