import FileSystem

/// A spool failure: the operation, the path it concerned and the system's reason (`Errno`).
public typealias SpoolError = FileSystemError
