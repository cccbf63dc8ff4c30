/// Why the snapshot service could not give a file: the request and what went wrong, so a build
/// log names the package and the URL.
public struct SnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The service has no such package version (HTTP 404), or no file of it for the architecture.
        case missing
        /// The service could not be reached or answered with an error: worth trying again later.
        case unavailable
        /// The answer was not what the API promises (not JSON, wrong shape, an unsafe file name).
        case malformed
        /// The bytes did not hash to what they were resolved with: refused, never used.
        case mismatch
    }

    public var kind: Kind
    /// What was asked for, e.g. `libc6 2.36-9 (amd64)`.
    public var subject: String
    public var reason: String

    public init(_ kind: Kind, subject: String, reason: String) {
        self.kind = kind
        self.subject = subject
        self.reason = reason
    }

    public var description: String { "\(subject): \(reason)" }
}
