import RebuilderSettings
/// The distribution a row is counted under: its parsed spec, or "unknown" for an empty or
/// unparsable one, so such rows are still published rather than dropped.
public enum DistributionGroup: Hashable, Sendable {
    case spec(DistributionSpec)
    case unknown

    /// The name pages, file names and metric labels use for this group.
    public static let unknownName = "unknown"

    public init(distribution: String) {
        self = DistributionSpec(parsing: distribution).map(Self.spec) ?? .unknown
    }

    public var name: String {
        switch self {
        case .spec(let spec): spec.raw
        case .unknown: Self.unknownName
        }
    }

    public var spec: DistributionSpec? {
        if case .spec(let spec) = self { spec } else { nil }
    }
}

extension DistributionGroup: Comparable {
    /// By suite, package sets, architecture, then the raw spec; "unknown" last. Groups of one
    /// suite end up next to each other, which is how the page shows them.
    public static func < (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.unknown, _): false
        case (.spec, .unknown): true
        case (.spec(let x), .spec(let y)):
            (x.suite, x.packageSets.joined(separator: "+"), x.architecture, x.raw)
                < (y.suite, y.packageSets.joined(separator: "+"), y.architecture, y.raw)
        }
    }
}
