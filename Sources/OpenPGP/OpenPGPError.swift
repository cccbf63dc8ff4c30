/// Why an OpenPGP operation failed, in words an operator can act on.
public struct OpenPGPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done: "open keyring", "verify signature".
    public var operation: String
    /// What went wrong: "signed by unknown key 0123456789ABCDEF (not in /etc/rebuilder/keyrings/debian)".
    public var message: String

    public init(operation: String, message: String) {
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(operation): \(message)" }
}
