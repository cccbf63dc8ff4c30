import Glibc
import SystemPackage

/// A system call that failed: what was being done, to which path, and the error number as a
/// typed value (`Errno`), so callers match on `.fileExists` rather than on raw integers.
public struct FileSystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var errno: Errno?
    public var reason: String?

    public init(_ operation: String, path: String, errno: Errno? = nil, reason: String? = nil) {
        self.operation = operation
        self.path = path
        self.errno = errno
        self.reason = reason
    }

    /// With a raw error number, as C calls leave it.
    public init(_ operation: String, path: String, errno code: Int32, reason: String? = nil) {
        self.init(operation, path: path, errno: Errno(rawValue: code), reason: reason)
    }

    /// What cannot be done with `path`, for a reason that is not a system call's.
    public init(path: String, reason: String) {
        self.init("", path: path, reason: reason)
    }

    /// With the error number of the call that just failed.
    public static func lastError(_ operation: String, path: String, reason: String? = nil) -> FileSystemError {
        FileSystemError(operation, path: path, errno: Errno(rawValue: Glibc.errno), reason: reason)
    }

    public var description: String {
        var text = operation.isEmpty ? path : "\(operation) \(path)"
        if let errno { text += ": \(errno)" }
        if let reason { text += ": \(reason)" }
        return text
    }
}
