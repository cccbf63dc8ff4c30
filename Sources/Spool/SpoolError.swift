import FileSystem
import Glibc
import SystemPackage

/// A spool failure: the operation, the path it concerned and the system's reason.
public typealias SpoolError = FileSystemError

extension FileSystemError {
    /// With a raw error number, as the C calls leave it.
    init(_ operation: String, path: String, errno code: Int32, reason: String? = nil) {
        self.init(operation, path: path, errno: Errno(rawValue: code), reason: reason)
    }
}
