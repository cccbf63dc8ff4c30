/// The spool's state directories. A task file is in exactly one of them; its directory is its state.
public enum SpoolDirectory: String, CaseIterable, Sendable, Codable {
    case tmp, new, building, attesting, reporting, uploading, uploaded, failed

    /// Directories a task can rest in for good.
    public var isTerminal: Bool { self == .uploaded || self == .failed }

    /// Directories that hold tasks (everything but tmp/, which holds deliveries being written).
    public static let taskStates: [SpoolDirectory] = allCases.filter { $0 != .tmp }
}
