import Foundation

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
