/// Who a notification goes to: a URL it is POSTed to, or a command that reads it on its
/// standard input. Each receiver of a finish is tried, retried and given up on its own.
public enum Receiver: Hashable, Sendable, CustomStringConvertible {
    case url(String)
    case command([String])

    /// How the receiver is named in the delivery record and in log lines: the URL, or
    /// `command <program> <arguments...>`. A record's receiver is matched to the configuration
    /// by this name.
    public var description: String {
        switch self {
        case .url(let url): return url
        case .command(let words): return (["command"] + words).joined(separator: " ")
        }
    }
}
