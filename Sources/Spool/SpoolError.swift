import Glibc

/// A spool failure with the operation, the path it concerned and the system's reason.
public struct SpoolError: Error, CustomStringConvertible, Sendable {
    public var operation: String
    public var path: String
    public var errno: Int32?
    public var reason: String?

    public init(_ operation: String, path: String, errno: Int32? = nil, reason: String? = nil) {
        self.operation = operation
        self.path = path
        self.errno = errno
        self.reason = reason
    }

    public var description: String {
        var text = "\(operation) \(path)"
        if let errno { text += ": \(String(cString: strerror(errno)))" }
        if let reason { text += ": \(reason)" }
        return text
    }
}
