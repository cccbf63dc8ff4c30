/// The spool's state directories. A task file is in exactly one of them; its directory is its state.
public enum SpoolDirectory: String, CaseIterable, Sendable, Codable {
    case tmp, new, building, attesting, reporting, uploading, uploaded, failed

    /// Directories a task can rest in for good.
    public var isTerminal: Bool { self == .uploaded || self == .failed }

    /// Directories that hold tasks (everything but tmp/, which holds deliveries being written).
    public static let taskStates: [SpoolDirectory] = allCases.filter { $0 != .tmp }
}

/// How one stage moves tasks: where it finds them, where it holds them while working, and where
/// it hands them on. A stage whose working directory is its inbox claims by lock alone.
public struct StageRoute: Sendable, Equatable {
    public let stage: String
    public let inbox: SpoolDirectory
    public let working: SpoolDirectory
    public let onward: SpoolDirectory

    public var claimsByRename: Bool { inbox != working }
    /// Only the first inbox receives files from outside the spool, possibly written in place.
    public var acceptsOutsideWriters: Bool { inbox == .new }

    /// The pipeline: new → building → attesting → reporting → uploading → uploaded.
    public static let all: [StageRoute] = [
        StageRoute(stage: "build", inbox: .new, working: .building, onward: .attesting),
        StageRoute(stage: "attest", inbox: .attesting, working: .attesting, onward: .reporting),
        StageRoute(stage: "report", inbox: .reporting, working: .reporting, onward: .uploading),
        StageRoute(stage: "upload", inbox: .uploading, working: .uploading, onward: .uploaded),
    ]

    public static func named(_ stage: String) -> StageRoute? { all.first { $0.stage == stage } }
}
