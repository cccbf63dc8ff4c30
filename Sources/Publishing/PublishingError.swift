/// Something in the published tree could not be done: the path and the reason.
public struct PublishingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    init(_ operation: String, path: String, errno code: Int32) {
        self.init(path: path, reason: "\(operation): \(String(cString: strerror(code)))")
    }

    public var description: String { "\(path): \(reason)" }
}

import Glibc
