/// Why an .xz stream could not be decoded, naming where it came from (usually its URL).
public struct XZError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the bytes came from, e.g. the URL of a Packages.xz.
    public var source: String
    public var reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    public var description: String { "\(source): \(reason)" }
}
