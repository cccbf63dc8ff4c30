import Buildinfo
import Foundation
import PackageCache
import Rebuild
import Snapshot
import Synchronization
import Testing

/// Packages the snapshot lacks, found in an extra apt repository whose InRelease is signed.
@Suite struct AptRepositoryTests {
    /// A flat repository holding `debs`, its InRelease signed by a key made here; returns the
    /// repository directory and a keyring file with that key (and `other`, one with another key).
    private func signedRepository(in directory: String, debs: [String]) throws -> (repository: String, keyring: String, other: String) {
        let repository = directory + "/repo"
        try FileManager.default.createDirectory(atPath: repository, withIntermediateDirectories: true)
        for deb in debs { try FileManager.default.copyItem(atPath: deb, toPath: repository + "/" + (deb as NSString).lastPathComponent) }
        let home = directory + "/gnupg"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { _ = try? SnapshotFixture.run(["gpgconf", "--homedir", home, "--kill", "gpg-agent"]) }
        for name in ["repository", "other"] {
            _ = try SnapshotFixture.run(["gpg", "--homedir", home, "--batch", "--quiet", "--pinentry-mode", "loopback", "--passphrase", "",
                                         "--quick-gen-key", "\(name) <\(name)@rebuilder.example>", "ed25519", "sign", "never"])
            _ = try SnapshotFixture.run(["gpg", "--homedir", home, "--batch", "--yes", "--output", "\(directory)/\(name).gpg",
                                         "--export", "\(name)@rebuilder.example"])
        }
        _ = try SnapshotFixture.run(["sh", "-c", """
            cd "$1" && apt-ftparchive packages . > Packages && xz -k Packages && apt-ftparchive release . > Release &&
            gpg --homedir "$2" --batch --yes --local-user repository@rebuilder.example --clearsign --output InRelease Release
            """, "sign", repository, home])
        return (repository, "\(directory)/repository.gpg", "\(directory)/other.gpg")
    }

    @Test func aPackageTheSnapshotLacksComesFromTheSignedRepositoryAndNothingElseDoes() throws {
        let fixture = try SnapshotFixture()
        let missing = fixture.packages[2]
        try FileManager.default.removeItem(atPath: fixture.tree + "/mr/binary/" + missing.name)
        let (repository, keyring, other) = try signedRepository(in: fixture.directory.path, debs: [missing.file])
        let server = try UpstreamServer(serving: repository)
        let buildinfo = try fixture.buildinfo()
        func resolve(_ keyring: String, cache: String) throws(ResolvedEnvironment.Failure) -> (ResolvedEnvironment, [String]) {
            let lines = Mutex<[String]>([])
            let repository = try! AptRepository(line: "deb [signed-by=\(keyring)] http://127.0.0.1:\(server.port)/ ./")
            let resolved = try ResolvedEnvironment.resolve(
                buildinfo, service: SnapshotService(base: fixture.base), repositories: [repository],
                cache: try! ContentCache(root: fixture.directory.path + "/" + cache, capacityBytes: 1 << 30),
                log: { line in lines.withLock { $0.append(line) } })
            return (resolved, lines.withLock { $0 })
        }

        let (resolved, log) = try resolve(keyring, cache: "cache")
        #expect(resolved.packages.map(\.name).contains((missing.file as NSString).lastPathComponent))
        #expect(log.contains { $0.hasPrefix("\(missing.name) (= \(missing.version)) from http://127.0.0.1:") })

        // Signed by a key the keyring does not hold: the repository is not used.
        do {
            _ = try resolve(other, cache: "cache-other")
            Issue.record("a repository whose InRelease does not verify was used")
        } catch {
            #expect(error.problems.map(\.subject) == ["\(missing.name) (= \(missing.version))"])
        }

        // The index is signed, the package changed after: refused.
        let served = repository + "/" + (missing.file as NSString).lastPathComponent
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: served)))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: served))
        do {
            _ = try resolve(keyring, cache: "cache-tampered")
            Issue.record("a package that does not match the signed index was used")
        } catch {
            #expect(error.problems.map(\.kind) == [.mismatch])
        }
    }

    @Test(arguments: ["deb http://example.org/ ./", "deb [signed-by=relative.gpg] http://example.org/ ./",
                      "deb [signed-by=/k.gpg] ftp://example.org/ ./", "deb [signed-by=/k.gpg] http://example.org/ bookworm",
                      "deb [signed-by=/k.gpg] http://example.org/ ./ main", "deb-src [signed-by=/k.gpg] http://example.org/ bookworm main"])
    func malformedRepositoryLinesAreRefused(_ line: String) {
        #expect(throws: SnapshotError.self) { try AptRepository(line: line) }
    }
}
