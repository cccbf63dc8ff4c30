/// A problem with a configuration file, located as precisely as we can so an
/// operator can go straight to the offending line.
///
/// Printed like a compiler diagnostic: `/etc/rebuilder/rebuilder.conf:12: unknown key 'fooo' in [spool]`.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file as it was named to us (not resolved), so the message matches what the operator typed.
    public let path: String
    /// 1-based line number, or nil when the problem concerns the whole file (unreadable, not UTF-8).
    public let line: Int?
    public let message: String

    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line {
            return "\(path):\(line): \(message)"
        }
        return "\(path): \(message)"
    }
}
