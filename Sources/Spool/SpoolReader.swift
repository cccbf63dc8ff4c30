/// What the results pages read of the whole spool: which tasks are in which state directory,
/// their records, and the expected lists. Nothing here moves or changes a task, so a stage that
/// only reports on the spool gets this, not the `Spool`.
public struct SpoolReader: Sendable {
    private let spool: Spool

    init(_ spool: Spool) { self.spool = spool }

    /// The tasks in one state directory (entries that are not tasks are left out).
    public func tasks(in directory: SpoolDirectory) throws -> [TaskEntry] { try spool.listing(directory).tasks }

    /// A task's records, read-only: nil when it has none (or they are not a plain directory).
    public func records(of id: TaskID) -> TaskRecords? { spool.existingRecords(of: id) }

    /// Every expected group with the identities it lists (`expected/`).
    public func expected() throws -> [String: [TaskID]] { try spool.expected() }
}

extension Spool {
    public var reader: SpoolReader { SpoolReader(self) }
}
