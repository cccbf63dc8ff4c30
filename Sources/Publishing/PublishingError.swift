import FileSystem

/// Something in the published tree could not be done: the operation, the path and the reason.
public typealias PublishingError = FileSystemError
