/// Why listing an rsync URL failed, naming the URL, with rsync's own words when it gave any.
public struct RsyncError: Error, Sendable, Equatable, CustomStringConvertible {
    public var url: String
    /// e.g. "rsync exited with status 5 (error starting client-server protocol): @ERROR: Unknown module 'x'".
    public var reason: String

    public init(url: String, reason: String) {
        self.url = url
        self.reason = reason
    }

    public var description: String { "\(url): \(reason)" }
}
