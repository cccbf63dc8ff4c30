import Glibc

/// Every identity a spool holds or has held, read from names alone (no task is opened), so a
/// submitter that follows upstream can skip what it already delivered, at any spool size.
public struct SpoolIdentities: Sendable {
    /// Tasks in a state directory; a task found in several (a transition seen mid-way) keeps
    /// the later one in pipeline order.
    public var located: [TaskID: SpoolDirectory] = [:]
    /// Names under `records/`: tasks delivered at some time, plus records of deliveries that
    /// died before their rename (see `wasDelivered`).
    public var recorded: Set<String> = []
}

extension Spool {
    /// One listing of each state directory and of `records/`.
    public func identities() throws -> SpoolIdentities {
        var identities = SpoolIdentities()
        for directory in SpoolDirectory.taskStates {
            for entry in try listing(directory).tasks { identities.located[entry.id] = directory }
        }
        for name in try SystemCalls.listNames(recordsPath) where name.first != UInt8(ascii: ".") {
            identities.recorded.insert(String(decoding: name, as: UTF8.self))
        }
        return identities
    }

    /// Whether a task of this identity was delivered and acknowledged: its content hash is
    /// recorded only after the rename into new/. A record without it is a delivery that died
    /// first, which the next delivery of the same identity completes.
    public func wasDelivered(_ id: TaskID) -> Bool {
        existingRecords(of: id)?.exists(Spool.contentHashFile) ?? false
    }
}
