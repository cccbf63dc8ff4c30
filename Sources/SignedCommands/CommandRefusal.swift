/// Why a command file was not carried out: the line written beside it in `refused/`.
public struct CommandRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
