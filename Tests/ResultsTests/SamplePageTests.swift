import Foundation
import Testing
@testable import Results

/// Writes a realistic sample project for looking at the page (scripts/screenshot-results):
/// `RESULTS_SAMPLE_DIR=/tmp/results-sample swift test --filter SamplePage`. Skipped otherwise.
@Suite struct SamplePageTests {
    static let directory = ProcessInfo.processInfo.environment["RESULTS_SAMPLE_DIR"]

    @Test(.enabled(if: directory != nil))
    func writesASampleProject() throws {
        let directory = try #require(Self.directory)
        let shares: [(TaskStatus, Int)] = [(.reproducible, 70), (.unreproducible, 12), (.ftbfs, 5), (.retry, 3),
                                           (.building, 2), (.waiting, 7), (.failed, 1)]
        let statuses = shares.flatMap { Array(repeating: $0.0, count: $0.1) }
        var rows: [TaskRow] = []
        let distributions = [("bookworm+essential+required+build-essential.amd64", 240),
                             ("bookworm+essential+required+build-essential.arm64", 180),
                             ("bookworm+full.amd64", 37),
                             ("trixie.all", 9),
                             ("qubes-4.1-vm-bullseye.amd64", 55),
                             ("", 4)]
        for (distribution, count) in distributions {
            for index in 0..<count {
                let status = statuses[(index * 37) % statuses.count]
                let source = ["bash", "coreutils", "glibc", "hello-repro", "libc++", "zlib"][index % 6] + "\(index)"
                let version = ["1:2.36-9+deb12u4", "5.2.15-2+b2", "1.0-1~bpo12+1", "9.1-1"][index % 4]
                let arch = distribution.hasSuffix(".all") ? "all" : String(distribution.split(separator: ".").last ?? "amd64")
                rows.append(row(source, version, arch: arch, distribution: distribution, status: status,
                                attempts: status == .retry ? 3 : 1,
                                log: "logs/\(source)_\(version)_\(arch).log",
                                metadata: status == .reproducible ? ["sources/\(source)/\(version)/rebuild.1a2b3c4d.link"] : [],
                                diffoscope: status == .unreproducible ? ["diffoscope/\(source)_\(version)_\(arch).html"] : []))
            }
        }
        let project = try results(rows, configured: ["trixie+essential.arm64"])
        try ResultsWriter().writePages(project, projectDirectory: directory)
        try ResultsWriter().writeTextfile(project, textfileDirectory: directory)
    }
}
