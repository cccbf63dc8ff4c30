import Foundation

/// Makes renames durable by fsyncing the directories they went into, in the background and in
/// groups: one fsync covers every rename into that directory since the previous one, so a stage
/// never waits a disk flush per task. Hand-offs inside the spool need no more than that: losing
/// one to a power cut only makes a stage redo a task, never loses or duplicates it.
public final class DirectorySyncer: @unchecked Sendable {
    private let condition = NSCondition()
    private var dirty: Set<String> = []
    private var requested = 0
    private var completed = 0
    private var failures: [String] = []
    private let enabled: Bool

    public init(enabled: Bool) {
        self.enabled = enabled
        guard enabled else { return }
        let thread = Thread { [unowned self] in self.run() }
        thread.name = "directory-syncer"
        thread.start()
    }

    public func markDirty(_ directory: String) {
        guard enabled else { return }
        condition.lock()
        dirty.insert(directory)
        requested += 1
        condition.signal()
        condition.unlock()
    }

    /// Waits until every directory marked before this call has been fsynced; returns what failed.
    @discardableResult
    public func flush() -> [String] {
        guard enabled else { return [] }
        condition.lock()
        defer { condition.unlock() }
        let target = requested
        while completed < target { condition.wait() }
        let reported = failures
        failures = []
        return reported
    }

    private func run() {
        while true {
            condition.lock()
            while dirty.isEmpty { condition.wait() }
            let batch = dirty
            let covered = requested
            dirty = []
            condition.unlock()

            var errors: [String] = []
            for directory in batch.sorted() {
                do { try SystemCalls.syncDirectory(directory) } catch { errors.append("\(error)") }
            }

            condition.lock()
            completed = covered
            failures += errors
            condition.broadcast()
            condition.unlock()
        }
    }
}
