/// Why a download failed, with the URL asked for, so that a log line or a task's error file says
/// which upstream misbehaved and how without more context.
public struct FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for callers that react differently (a missing file is often expected;
    /// a timeout may be worth a retry; a too-large body is not).
    public enum Kind: Sendable, Equatable {
        /// HTTP 404 or 410.
        case notFound
        /// Any other status that is not a success (the status, e.g. 500 or 403).
        case httpStatus(Int)
        /// The connection or the whole request took longer than its limit.
        case timedOut
        /// The body exceeded `FetchLimits.maximumBytes`.
        case tooLarge
        /// The body ended before its declared length, or the connection broke mid-body.
        case truncated
        /// More redirects than `FetchLimits.maximumRedirects`.
        case tooManyRedirects
        /// The host could not be resolved or reached, or the connection failed before any response.
        case connection
        /// Not an http or https URL (also a redirect to another scheme), or a malformed one.
        case badURL
        /// Anything else curl reports (TLS verification, out of memory, ...).
        case other
    }

    /// The URL asked for (not where redirects led).
    public var url: String
    public var kind: Kind
    /// A sentence for people, e.g. "response larger than the limit of 1048576 bytes".
    public var reason: String

    public init(url: String, kind: Kind, reason: String) {
        self.url = url
        self.kind = kind
        self.reason = reason
    }

    public var description: String { "\(url): \(reason)" }
}
