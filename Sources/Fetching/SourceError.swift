/// Why bytes from a source (an rsync URL, an .xz stream named by its URL) could not be had, with
/// the source and the tool's own words.
public struct SourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the bytes came from, e.g. the URL of a Packages.xz or of an rsync listing.
    public var source: String
    /// e.g. "rsync exited with status 5 (error starting client-server protocol): @ERROR: Unknown module 'x'".
    public var reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    /// The same, for a source that is a URL.
    public init(url: String, reason: String) { self.init(source: url, reason: reason) }
    public var url: String { source }

    public var description: String { "\(source): \(reason)" }
}

/// An .xz stream that could not be decoded.
public typealias XZError = SourceError
/// An rsync listing that could not be had.
public typealias RsyncError = SourceError
