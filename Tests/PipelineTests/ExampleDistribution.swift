import Foundation
import Glibc

/// The examples built as the distribution did (examples/build-distribution: a clean mmdebstrap
/// environment from the packages scripts/setup downloaded, about 30 s), once per test run and
/// shared read-only: pool/ (.dsc and .tar.xz), debs/, buildinfo/ and logs/. Tests that change a
/// file copy it first. One directory per checkout: two checkouts tested on one machine would
/// otherwise rebuild each other's files in the middle of a run.
enum ExampleDistribution {
    static let directory = "/var/tmp/rebuilder-tests-distribution" + BuildStageTests.repository.replacingOccurrences(of: "/", with: "-")

    private static let built: Result<String, FixtureError> = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuildStageTests.repository + "/examples/build-distribution")
        process.arguments = [directory]
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failure(FixtureError("cannot run examples/build-distribution: \(error)"))
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return .failure(FixtureError("examples/build-distribution exited \(process.terminationStatus) (has scripts/setup run?)"))
        }
        return .success(directory)
    }()

    /// The directory, built on first use.
    static func path() throws -> String { try built.get() }
}

extension ExampleDistribution {
    /// The pipeline that rebuilds the examples as the distribution built them (local backend, one
    /// unreproducible build is final) and publishes them into `published`, signed with the keys of
    /// `keys`; every stage does its built-in work. `spoolSettings` and `sections` add to it.
    static func pipeline(published: String, keys: SigningKeys, reproducibleKey: String, unreproducibleKey: String,
                         spoolSettings: String = "", sections: String = "") throws -> PipelineFixture {
        let distribution = try path()
        let builds = try ExampleBuilds()
        let fixture = try PipelineFixture(
            spoolSettings: "backoff = 0.1\n" + spoolSettings,
            stageSettings: ["build": "backend = local\npool = \(distribution)/pool\nshipped-packages = \(distribution)/debs\nunreproducible-attempts = 1\ntimeout = 600"],
            builtInStages: ["build", "attest", "report", "upload"],
            sections: """
                [publish]
                root = \(published)
                gnupg-home = \(keys.home)

                [debian]
                in-toto-sign-key-fpr = \(reproducibleKey)
                in-toto-sign-key-unreproducible-fpr = \(unreproducibleKey)
                dist = bookworm+examples.amd64

                \(sections)
                """)
        fixture.hold(builds)
        return fixture
    }
}

/// The examples build at their buildinfo's Build-Path, `/build/reproducible-path/<package>`: one
/// per machine. Two tests rebuilding an example at once (suites run in parallel, and other
/// checkouts' tests on this machine) make the local backend find it busy, or take each other's
/// results. A test's pipeline that rebuilds the examples holds this lock, an flock of a file in
/// /tmp, until its daemons stopped.
final class ExampleBuilds {
    private let fd: Int32
    static let lockPath = "/tmp/rebuilder-example-builds.lock"

    /// Waits for the other holders.
    init() throws {
        fd = open(Self.lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw FixtureError("open \(Self.lockPath): \(String(cString: strerror(errno)))") }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw FixtureError("flock \(Self.lockPath): \(reason)")
            }
        }
    }

    deinit { close(fd) }
}
