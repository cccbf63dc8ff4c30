/// Why an in-toto document, key or signature was refused, naming the thing and the reason:
/// "metablock: signatures[0].keyid is not a hex string".
public struct AttestationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being read or made: "metablock", "layout", "key 0123…", "signature packet".
    public var subject: String
    public var reason: String

    public init(_ subject: String, _ reason: String) {
        self.subject = subject
        self.reason = reason
    }

    public var description: String { "\(subject): \(reason)" }
}
