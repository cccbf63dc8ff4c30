/// Something the get stage could not do, with what it concerns: a URL, a config line, a task.
public struct GetError: Error, Sendable, Equatable, CustomStringConvertible {
    public var subject: String
    public var reason: String

    public init(subject: String, reason: String) {
        self.subject = subject
        self.reason = reason
    }

    public var description: String { "\(subject): \(reason)" }
}
