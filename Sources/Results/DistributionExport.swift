import Foundation
import Spool

/// The JSON document of one distribution: `results/<spec>.json`.
public struct DistributionExport: Codable, Sendable, Equatable {
    public var project: String
    /// The configured spec, or "unknown" for rows without a parsable one.
    public var distribution: String
    /// Parsed from the spec; nil for "unknown".
    public var suite: String?
    public var packageSets: [String]?
    public var architecture: String?
    /// ISO 8601 UTC.
    public var generated: String
    public var total: Int
    public var counts: StatusCounts
    /// Sorted by source, version, architecture.
    public var tasks: [TaskRow]

    public init(_ results: DistributionResults, project: String, generated: Date) {
        self.project = project
        self.distribution = results.group.name
        self.suite = results.group.spec?.suite
        self.packageSets = results.group.spec?.packageSets
        self.architecture = results.group.spec?.architecture
        self.generated = Timestamp.formatWholeSeconds(generated.timeIntervalSince1970)
        self.total = results.counts.total
        self.counts = results.counts
        self.tasks = results.rows
    }

    /// Sorted keys and indentation: the same rows and time give the same bytes, and two
    /// generations compare line by line with diff.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }
}
