import Testing
@testable import Results

@Suite struct GroupingTests {
    @Test func groupsByDistributionAndCountsEveryStatus() throws {
        let project = try results([
            row("hello", distribution: "bookworm+essential.amd64", status: .reproducible),
            row("bash", distribution: "bookworm+essential.amd64", status: .unreproducible),
            row("coreutils", distribution: "bookworm+essential.amd64", status: .ftbfs),
            row("dash", distribution: "bookworm+essential.arm64", status: .waiting),
            row("dash", distribution: "bookworm+required.amd64", status: .building),
            row("zlib", distribution: "trixie.amd64", status: .retry),
            row("zstd", distribution: "trixie.amd64", status: .failed),
        ])
        #expect(project.distributions.map(\.group.name) == [
            "bookworm+essential.amd64", "bookworm+essential.arm64", "bookworm+required.amd64", "trixie.amd64",
        ])
        let first = project.distributions[0]
        #expect(first.group.spec?.packageSets == ["essential"])
        #expect(first.group.spec?.architecture == "amd64")
        #expect(first.counts[.reproducible] == 1)
        #expect(first.counts[.unreproducible] == 1)
        #expect(first.counts[.ftbfs] == 1)
        #expect(first.counts[.waiting] == 0)
        #expect(first.counts.total == 3)
        #expect(project.distributions[3].counts[.retry] == 1)
        #expect(project.distributions[3].counts[.failed] == 1)
        #expect(project.taskCount == 7)
    }

    @Test func rowsSortBySourceVersionArchitecture() throws {
        let project = try results([
            row("zlib", "1.2", arch: "amd64"),
            row("bash", "5.2-1", arch: "all"),
            row("bash", "5.1-2", arch: "amd64"),
            row("bash", "5.1-2", arch: "all"),
        ])
        #expect(project.distributions[0].rows.map { "\($0.source) \($0.version) \($0.architecture)" } == [
            "bash 5.1-2 all", "bash 5.1-2 amd64", "bash 5.2-1 all", "zlib 1.2 amd64",
        ])
    }

    @Test func unknownAndEmptySpecsShareOneGroupAndKeepTheirRows() throws {
        let project = try results([
            row("a", distribution: ""),
            row("b", distribution: "no-architecture"),
            row("c", distribution: "bookworm.amd64"),
        ])
        #expect(project.distributions.map(\.group.name) == ["bookworm.amd64", "unknown"])
        let unknown = project.distributions[1]
        #expect(unknown.group == .unknown)
        #expect(unknown.rows.map(\.distribution) == ["", "no-architecture"])
        #expect(project.taskCount == 3)
    }

    @Test func configuredDistributionsWithoutRowsAreShownEmpty() throws {
        let project = try results([row("a", distribution: "bookworm.amd64")],
                                  configured: ["bookworm.amd64", "trixie+essential.amd64"])
        #expect(project.distributions.map(\.group.name) == ["bookworm.amd64", "trixie+essential.amd64"])
        #expect(project.distributions[1].rows.isEmpty)
        #expect(project.distributions[1].counts == StatusCounts())
    }

    @Test func aRowOfAnotherProjectIsRefused() {
        #expect(throws: ResultsError.rowOfAnotherProject(task: "a_1.0-1_amd64.buildinfo", project: "qubes", expected: "debian")) {
            try results([row("b"), row("a", project: "qubes")])
        }
        let message = ResultsError.rowOfAnotherProject(task: "t", project: "qubes", expected: "debian").description
        #expect(message == "task t belongs to project 'qubes', not 'debian'")
    }

    @Test func stageDurationsAddUpPerStage() throws {
        let project = try results([], stages: [
            StageDurations(stage: "report", count: 1, totalSeconds: 0.5),
            StageDurations(stage: "build", count: 2, totalSeconds: 10),
            StageDurations(stage: "build", count: 1, totalSeconds: 5),
        ])
        #expect(project.stageDurations == [
            StageDurations(stage: "build", count: 3, totalSeconds: 15),
            StageDurations(stage: "report", count: 1, totalSeconds: 0.5),
        ])
    }

    @Test func percentagesNeverHideANonZeroCount() {
        var counts = StatusCounts()
        counts[.reproducible] = 9999
        counts[.ftbfs] = 1
        #expect(StatusStyle.percent(counts, .reproducible) == ">99.9%")
        #expect(StatusStyle.percent(counts, .ftbfs) == "<0.1%")
        #expect(StatusStyle.percent(counts, .waiting) == "0.0%")
        #expect(StatusStyle.percent(StatusCounts(), .waiting) == "0.0%")
        counts[.ftbfs] = 0
        #expect(StatusStyle.percent(counts, .reproducible) == "100.0%")
    }
}
