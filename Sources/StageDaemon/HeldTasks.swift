import Spool
import Synchronization

/// The tasks this process holds, so its own recovery sweep leaves them alone (see `Spool.recover`).
final class HeldTasks: Sendable {
    private let ids = Mutex<Set<TaskID>>([])

    func insert(_ id: TaskID) { ids.withLock { _ = $0.insert(id) } }
    func remove(_ id: TaskID) { ids.withLock { _ = $0.remove(id) } }
    func contains(_ id: TaskID) -> Bool { ids.withLock { $0.contains(id) } }
}
