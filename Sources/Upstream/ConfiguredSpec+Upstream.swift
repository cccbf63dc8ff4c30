import RebuilderSettings

extension DistributionSpec {
    /// `<suite>+<set>.<arch>`: the spec of one of this spec's package sets.
    public func packageSetSpec(_ set: String) -> String { "\(suite)+\(set).\(architecture)" }

    /// The single-set specs whose results are shown apart: one per set when there are several
    /// (and none is `full`).
    public var packageSetSpecs: [String] {
        packageSets.count > 1 && !packageSets.contains(PackageSet.full) ? packageSets.map(packageSetSpec) : []
    }
}

extension ConfiguredSpec {
    /// The project its tasks are labelled with (and published under); a suite the get stage
    /// cannot follow publishes under its section's name.
    public var project: String {
        (try? UpstreamDistribution(suite: spec.suite))?.project ?? distribution
    }
}
