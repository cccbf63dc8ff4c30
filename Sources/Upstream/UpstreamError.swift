/// Why a whole listing, index or name was refused: not what it claims to be (an HTML error page,
/// binary data, mostly bad lines), so that nothing is scheduled from it.
public struct UpstreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL or file the bytes came from, as the caller named it.
    public var source: String
    /// 1-based line, when one line is to blame.
    public var line: Int?
    public var reason: String

    public init(source: String, line: Int? = nil, reason: String) {
        self.source = source
        self.line = line
        self.reason = reason
    }

    /// `<source>:<line>: <reason>`, or `<source>: <reason>` without a line.
    public var description: String {
        if let line { return "\(source):\(line): \(reason)" }
        return "\(source): \(reason)"
    }
}
