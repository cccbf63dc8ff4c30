/// An entry of an upstream listing or index that was not used, and why: a bad line must not
/// hide the good ones, nor disappear without a trace.
public struct RejectedEntry: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line in the listing (for an index, the first line of the stanza).
    public var line: Int
    /// The entry, shortened and with control and non-ASCII characters escaped, safe to log.
    public var text: String
    public var reason: String

    public init(line: Int, text: String, reason: String) {
        self.line = line
        self.text = text
        self.reason = reason
    }

    /// `line 12: '<text>': <reason>`
    public var description: String { "line \(line): '\(text)': \(reason)" }
}

/// The builds chosen from one listing or index, with what was refused on the way.
public struct Selection: Sendable {
    /// One per source, sorted by source then architecture.
    public var builds: [UpstreamBuild]
    /// In listing order.
    public var rejected: [RejectedEntry]
    /// Entries read: non-blank lines of a listing, stanzas of a `Packages` index, paths given.
    public var entriesRead: Int

    public init(builds: [UpstreamBuild], rejected: [RejectedEntry], entriesRead: Int) {
        self.builds = builds
        self.rejected = rejected
        self.entriesRead = entriesRead
    }
}
