import FileSystem
import Buildinfo
import Foundation
import Testing
@testable import Rebuild

@Suite struct ArtifactComparisonTests {
    private func directory(with files: [String: String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("artifacts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, content) in files { try content.write(toFile: "\(path)/\(name)", atomically: false, encoding: .utf8) }
        return path
    }

    private func checksum(_ name: String, _ content: String) throws -> ArtifactChecksum {
        let path = try directory(with: [name: content])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let digest = try #require(try FileDigest.of(path: "\(path)/\(name)"))
        return ArtifactChecksum(digest: digest.sha256, size: digest.size, name: name)
    }

    @Test func allEqualIsReproducibleOneDifferentIsUnreproducibleNoneIsFtbfs() throws {
        let expected = [try checksum("a.deb", "alpha"), try checksum("b.deb", "beta")]
        let same = try directory(with: ["a.deb": "alpha", "b.deb": "beta"])
        let oneDiffers = try directory(with: ["a.deb": "alpha", "b.deb": "BETA"])
        let oneMissing = try directory(with: ["a.deb": "alpha"])
        let nothing = try directory(with: [:])
        defer { for path in [same, oneDiffers, oneMissing, nothing] { try? FileManager.default.removeItem(atPath: path) } }

        #expect(ArtifactComparison.verdict(of: try ArtifactComparison.compare(expected, outputDirectory: same)) == .reproducible)
        let differing = try ArtifactComparison.compare(expected, outputDirectory: oneDiffers)
        #expect(ArtifactComparison.verdict(of: differing) == .unreproducible)
        #expect(differing.map(\.matches) == [true, false])
        #expect(ArtifactComparison.verdict(of: try ArtifactComparison.compare(expected, outputDirectory: oneMissing)) == .unreproducible)
        let none = try ArtifactComparison.compare(expected, outputDirectory: nothing)
        #expect(ArtifactComparison.verdict(of: none) == .ftbfs)
        #expect(none.allSatisfy { $0.rebuiltSHA256 == nil })
    }

    @Test func fileDigestAgreesWithSha256sum() throws {
        let path = try directory(with: [:]) + "/big"
        let data = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try data.write(to: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let digest = try #require(try FileDigest.of(path: path))
        #expect(printed.hasPrefix(digest.sha256 + " "))
        #expect(digest.size == 3_000_000)
        #expect(try FileDigest.of(path: path + ".missing") == nil)
    }

    @Test func summaryOutHasDebrebuildsLayoutForDifferingFilesOnly() throws {
        let record = RebuildRecord(
            task: "t", source: "s", version: "1", verdict: .unreproducible, backend: "local", attempt: 1,
            started: "2026-11-21T00:00:00.000000Z", durationSeconds: 1, backendExit: "exit 0", logTruncated: false,
            artifacts: [ArtifactResult(name: "same.deb", expectedSHA256: "aa", expectedSize: 1, rebuiltSHA256: "aa", rebuiltSize: 1),
                        ArtifactResult(name: "diff.deb", expectedSHA256: "bb", expectedSize: 2, rebuiltSHA256: "cc", rebuiltSize: 3),
                        ArtifactResult(name: "gone.deb", expectedSHA256: "dd", expectedSize: 4, rebuiltSHA256: nil, rebuiltSize: nil)])
        let summary = try JSONSerialization.jsonObject(with: try record.summaryOut()) as? [String: [String: [String: [String: Any]]]]
        let files = try #require(summary?["sha256"])
        #expect(Set(files.keys) == ["diff.deb", "gone.deb"])
        #expect(files["diff.deb"]?["sha256"]?["old"] as? String == "bb")
        #expect(files["diff.deb"]?["sha256"]?["new"] as? String == "cc")
        #expect(files["diff.deb"]?["size"]?["old"] as? Int == 2)
        #expect(files["diff.deb"]?["size"]?["new"] as? Int == 3)
        let decoded = try JSONDecoder().decode(RebuildRecord.self, from: try record.json())
        #expect(decoded == record)
    }

    @Test func buildPathsOutsideTheBuildRootAreRefused() throws {
        let policy = BuildPathPolicy(allowedRoot: "/build")
        func path(_ buildPath: String?) throws -> Result<String, RebuildError> {
            var text = "Format: 1.0\nSource: hello\nBinary: hello\nArchitecture: amd64\nVersion: 1.0-1\n"
            if let buildPath { text += "Build-Path: \(buildPath)\n" }
            text += "Checksums-Sha256:\n \(String(repeating: "a", count: 64)) 1 hello_1.0-1_amd64.deb\n"
            let buildinfo = try Buildinfo.parse(Array(text.utf8), path: "test.buildinfo")
            return policy.directory(for: buildinfo, fallbackRoot: "/spool/records/x/build/tree").map(\.path)
        }
        #expect(try path("/build/reproducible-path/hello-1.0").get() == "/build/reproducible-path/hello-1.0")
        let location = try #require(try? { () throws -> BuildLocation in
            let text = "Format: 1.0\nSource: hello\nBinary: hello\nArchitecture: amd64\nVersion: 1.0-1\nBuild-Path: /build/a/hello-1.0\n"
                + "Checksums-Sha256:\n \(String(repeating: "a", count: 64)) 1 hello_1.0-1_amd64.deb\n"
            return try policy.directory(for: Buildinfo.parse(Array(text.utf8), path: "t.buildinfo"), fallbackRoot: "/x").get()
        }())
        // Below the allowed root the backend resolves each component itself, without links.
        #expect(location == BuildLocation(root: "/build", relative: "a/hello-1.0"))
        #expect(try path(nil).get() == "/spool/records/x/build/tree/hello-1.0")
        for bad in ["/etc", "/build/../etc/x", "/build/", "/buildx/y", "/build/a//b", "/build/a b", "relative/build"] {
            guard case .failure = try path(bad) else { Issue.record("accepted \(bad)"); continue }
        }
    }

    @Test func backendsGetTheBuildinfoAndTheOutputDirectoryLast() {
        let d = BuildLocation(root: "/build", relative: "d")
        #expect(RebuildBackend.command(["/bin/rebuild", "--fast"]).arguments(buildinfo: "b", outputDirectory: "o", buildDirectory: d, rebuilder: "r")
                == ["/bin/rebuild", "--fast", "b", "o"])
        #expect(RebuildBackend.local(pool: "/pool").arguments(buildinfo: "b", outputDirectory: "o", buildDirectory: d, rebuilder: "/usr/bin/rebuilder")
                == ["/usr/bin/rebuilder", "backend", "local", "--pool", "/pool", "--build-root", "/build", "--build-dir", "/build/d", "b", "o"])
        #expect(RebuildBackend.debrebuild(builder: "mmdebstrap").arguments(buildinfo: "b", outputDirectory: "o", buildDirectory: d, rebuilder: "r")
                == ["debrebuild", "--builder=mmdebstrap", "--respect-build-path", "--buildresults=o", "b"])
    }
}
