/// Why a version string is not a valid Debian version; `message` uses dpkg's wording.
public struct DebianVersionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var version: String
    public var message: String

    public init(version: String, message: String) {
        self.version = version
        self.message = message
    }

    public var description: String { "invalid version \(Excerpt.quoted(version)): \(message)" }
}
