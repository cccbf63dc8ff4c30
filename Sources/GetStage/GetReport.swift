/// What one run did for one spec: the figures `rebuilder get` prints, and every problem.
public struct SpecReport: Sendable {
    public var spec: String
    public var location: String
    /// Builds upstream offers for the spec (newest per source, within its package sets).
    public var found = 0
    /// Delivered into new/ by this run.
    public var new = 0
    /// Already in the spool (waiting, in progress, done or failed), or another architecture.
    public var skipped = 0
    /// Failed failed/ tasks sent back to new/ (`--force-retry`).
    public var requeued = 0
    /// Listed but not served yet; asked for again later.
    public var unpublished = 0
    /// Builds that could not be fetched or were not what their name said, and refused listing lines.
    public var failed = 0
    /// The spec could not be listed at all: nothing was delivered for it.
    public var listingFailed = false
    public var problems: [GetError] = []

    /// `bookworm+essential.amd64: found 42, new 3, skipped 39, failed 0`
    public var summary: String {
        if listingFailed { return "\(spec): not listed, nothing delivered" }
        var text = "\(spec): found \(found), new \(new), skipped \(skipped), failed \(failed)"
        if requeued > 0 { text += ", requeued \(requeued)" }
        if unpublished > 0 { text += ", not yet published \(unpublished)" }
        return text
    }
}

public struct GetReport: Sendable {
    public var specs: [SpecReport] = []

    /// True when every spec was listed and every build it found is accounted for (builds not
    /// yet published are not failures: they are asked for again later).
    public var succeeded: Bool { specs.allSatisfy { !$0.listingFailed && $0.failed == 0 } }
}
