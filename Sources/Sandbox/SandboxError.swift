/// Why a sandbox cannot be set up (not a failure of the build inside it).
public struct SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
