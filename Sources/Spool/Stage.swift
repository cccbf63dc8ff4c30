/// The pipeline's stages. Their names are written here and nowhere else: configuration sections
/// (`[stage.NAME]`), `rebuilder stage NAME`, history lines, records directories and logs all come
/// from this type.
public enum Stage: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case get, build, attest, report, upload

    public var name: String { rawValue }
    public var description: String { rawValue }

    /// How the stage moves tasks through the spool; nil for get, which only delivers into new/.
    public var route: StageRoute? { StageRoute.all.first { $0.stage == self } }

    /// Its directory in `records/<ID>/`: the job's work directory and what the stage records.
    public var recordsDirectory: String { rawValue }

    /// Its job's output in `records/<ID>/`.
    public var logName: String { "\(rawValue).log" }
}

/// How one stage moves tasks: where it finds them, where it holds them while working, and where
/// it hands them on. A stage whose working directory is its inbox claims by lock alone.
public struct StageRoute: Sendable, Equatable {
    public let stage: Stage
    public let inbox: SpoolDirectory
    public let working: SpoolDirectory
    public let onward: SpoolDirectory

    public var claimsByRename: Bool { inbox != working }
    /// The directories the stage changes: its own, the next inbox and failed/; the build stage
    /// also tmp/, whose abandoned deliveries its sweeps remove. With one user per stage, these are
    /// the directories that user may write (see spool-layout.md, "Owners").
    public var writes: Set<SpoolDirectory> {
        var directories: Set<SpoolDirectory> = [inbox, working, onward, .failed]
        if acceptsOutsideWriters { directories.insert(.tmp) }
        return directories
    }
    /// Only the first inbox receives files from outside the spool, possibly written in place.
    public var acceptsOutsideWriters: Bool { inbox == .new }

    /// The pipeline: new → building → attesting → reporting → uploading → uploaded.
    public static let all: [StageRoute] = [
        StageRoute(stage: .build, inbox: .new, working: .building, onward: .attesting),
        StageRoute(stage: .attest, inbox: .attesting, working: .attesting, onward: .reporting),
        StageRoute(stage: .report, inbox: .reporting, working: .reporting, onward: .uploading),
        StageRoute(stage: .upload, inbox: .uploading, working: .uploading, onward: .uploaded),
    ]
}
