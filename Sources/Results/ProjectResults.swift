import Foundation

/// The rows of one distribution group, in listing order, with their counts.
public struct DistributionResults: Sendable, Equatable {
    public let group: DistributionGroup
    public let rows: [TaskRow]
    public let counts: StatusCounts
}

/// The rows of one project grouped by distribution: what every output is rendered from.
public struct ProjectResults: Sendable {
    public let project: String
    /// When these results were generated; passed in so output is reproducible in tests.
    public let generated: Date
    /// Sorted by suite, package sets and architecture, "unknown" last.
    public let distributions: [DistributionResults]
    /// One entry per stage, sorted by name.
    public let stageDurations: [StageDurations]

    /// - Parameters:
    ///   - rows: the tasks of `project`; a row of another project is an error.
    ///   - configuredDistributions: specs to show even without rows yet, so their
    ///     charts and zero-valued metrics exist from the start.
    ///   - stageDurations: several entries for one stage are added up, since the
    ///     textfile may hold one series per stage only.
    public init(project: String, rows: [TaskRow], configuredDistributions: [String] = [],
                stageDurations: [StageDurations] = [], generated: Date) throws(ResultsError) {
        if let stranger = rows.first(where: { $0.project != project }) {
            throw .rowOfAnotherProject(task: stranger.task, project: stranger.project, expected: project)
        }
        var grouped = Dictionary(grouping: rows) { DistributionGroup(distribution: $0.distribution) }
        for configured in configuredDistributions {
            grouped[DistributionGroup(distribution: configured), default: []] += []
        }
        self.project = project
        self.generated = generated
        self.distributions = grouped.keys.sorted().map { group in
            let rows = grouped[group, default: []].sorted(by: TaskRow.listingOrder)
            return DistributionResults(group: group, rows: rows, counts: StatusCounts(rows))
        }
        self.stageDurations = Dictionary(grouping: stageDurations, by: \.stage).map { stage, entries in
            StageDurations(stage: stage, count: entries.reduce(0) { $0 + $1.count },
                           totalSeconds: entries.reduce(0) { $0 + $1.totalSeconds })
        }.sorted { $0.stage < $1.stage }
    }

    public var taskCount: Int { distributions.reduce(0) { $0 + $1.rows.count } }
}
