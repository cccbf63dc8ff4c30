/// Settings that parse but cannot work together (a backend without its pool, a host without its
/// directory): found when a stage builds its work, reported with the file's path, exit 78.
public struct ConfigurationProblem: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
