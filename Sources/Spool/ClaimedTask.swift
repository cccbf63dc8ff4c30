import SystemPackage
import Glibc

/// A task this process holds: an open descriptor of the task file with an exclusive flock on it.
/// Every way out (hand on, retry, fail) renames the file first and releases the lock after, so
/// another process can only ever see the task in one place, locked or free.
public final class ClaimedTask: @unchecked Sendable {
    public let spool: Spool
    public let route: StageRoute
    public private(set) var entry: TaskEntry
    /// The locked descriptor; a child process given a duplicate of it keeps the task locked for as
    /// long as it runs, even if this process dies.
    public private(set) var descriptor: Int32
    /// `records/<ID>/`, checked to be a plain directory when the task was claimed.
    public let records: TaskRecords
    private let syncer: DirectorySyncer?
    private var released = false

    init(spool: Spool, route: StageRoute, entry: TaskEntry, descriptor: Int32, records: TaskRecords, syncer: DirectorySyncer?) {
        self.spool = spool
        self.records = records
        self.route = route
        self.entry = entry
        self.descriptor = descriptor
        self.syncer = syncer
    }

    deinit { if !released { close(descriptor) } }

    public var id: TaskID { entry.id }
    public var path: String { spool.path(route.working, entry.fileName) }

    /// Done with this stage: on to the next directory, with the attempt count reset.
    public func handOn() throws {
        let destination = spool.path(route.onward, entry.id.rawValue)
        do {
            try SystemCalls.renameNoReplace(path, destination)
        } catch let error as SpoolError where error.errno == .fileExists {
            try fail(reason: "a task named \(id) is already in \(route.onward.rawValue)/")
            return
        }
        let handedAt = Timestamp.now()
        release()
        removeHolder()
        spool.syncDirectoryLater(route.onward, syncer)
        spool.record(HistoryEvent(time: handedAt, stage: route.stage, event: "handed", detail: "to \(route.onward.rawValue)/"), for: id)
    }

    public enum RetryOutcome: Sendable, Equatable {
        case deferred(until: Double)
        case failed
    }

    /// This attempt failed for a reason that may pass: back to the inbox with one more failed
    /// attempt in its name and its next-attempt time as its mtime, or to failed/ past the limit
    /// (`maxAttempts`, or the spool's policy).
    @discardableResult
    public func retry(reason: String, maxAttempts: Int? = nil, now: Double = Timestamp.now()) throws -> RetryOutcome {
        let next = entry.afterFailedAttempt()
        if next.failedAttempts >= maxAttempts ?? spool.policy.maxAttempts {
            try fail(reason: "gave up after \(next.failedAttempts) attempts; the last: \(reason)")
            return .failed
        }
        let due = now + spool.policy.delay(afterFailedAttempts: next.failedAttempts)
        try backToInbox(as: next, due: due, reason: reason, event: "deferred",
                        detail: "attempt \(next.failedAttempts) failed, next at \(Timestamp.format(due)): \(reason)")
        return .deferred(until: due)
    }

    /// Not this stage's to do yet (its source is held): back to the inbox, due at `until`, with
    /// no attempt counted, so a hold of any length never uses up the task's attempts.
    public func postpone(reason: String, until due: Double) throws {
        try backToInbox(as: entry, due: due, reason: reason, event: "postponed", detail: "until \(Timestamp.format(due)): \(reason)")
    }

    private func backToInbox(as next: TaskEntry, due: Double, reason: String, event: String, detail: String) throws {
        try setModificationTime(due)
        try records.replace("reason", with: reason + "\n")
        removeHolder()
        try SystemCalls.renameNoReplace(path, spool.path(route.inbox, next.fileName))
        release()
        spool.syncDirectoryLater(route.inbox, syncer)
        spool.record(HistoryEvent(stage: route.stage, event: event, detail: detail), for: id)
        entry = next
    }

    /// A permanent failure: the reason is written first, then the task goes to failed/.
    public func fail(reason: String) throws {
        try records.replace("reason", with: reason + "\n")
        removeHolder()
        var destination = spool.path(.failed, id.rawValue)
        do {
            try SystemCalls.renameNoReplace(path, destination)
        } catch let error as SpoolError where error.errno == .fileExists {
            // An earlier task of this name already failed; keep both, the later one renamed.
            destination = spool.path(.failed, Spool.quarantineName())
            try SystemCalls.renameNoReplace(path, destination)
            try records.replace("failed-as", with: destination + "\n")
        }
        release()
        spool.syncDirectoryLater(.failed, syncer)
        spool.record(HistoryEvent(stage: route.stage, event: "failed", detail: reason), for: id)
    }

    /// Its previous holder died: count that attempt (renaming within the working directory, or
    /// back to the inbox for stages that claim by rename), or fail the task past the limit.
    /// Returns the outcome when the task could not stay claimed.
    func countAbandonedAttempt(now: Double) throws -> ClaimOutcome? {
        let previous = (try? spool.holder(in: route.working, of: id)).flatMap { $0 }
        let who = previous.map { "\($0.host):\($0.pid)" } ?? "an unknown process"
        let next = entry.afterFailedAttempt()
        removeHolder()
        if next.failedAttempts >= spool.policy.maxAttempts {
            let reason = "gave up after \(next.failedAttempts) attempts; the last: its holder \(who) died"
            try fail(reason: reason)
            return .failed(id, reason: reason)
        }
        let target = route.claimsByRename ? route.inbox : route.working
        try setModificationTime(now)
        try SystemCalls.renameNoReplace(path, spool.path(target, next.fileName))
        spool.record(HistoryEvent(time: now, stage: route.stage, event: "recovered",
                                  detail: "attempt \(next.failedAttempts) abandoned: holder \(who) died"), for: id)
        entry = next
        if route.claimsByRename {
            release()
            spool.syncDirectoryLater(route.inbox, syncer)
            return .gone
        }
        return nil
    }

    /// Sets the task file's times (when it is due). A file another user delivered (one user per
    /// stage) cannot have them set by this one: it is first replaced by an identical copy of this
    /// user's, locked before it takes the task's name, so the task is never seen unlocked, twice or
    /// half-written. A copy left by a crash (`.own-<ID>`, hidden) goes at the task's next copy.
    private func setModificationTime(_ seconds: Double) throws {
        do {
            try SystemCalls.setModificationTime(descriptor, to: seconds, path: path)
        } catch let error as SpoolError where error.errno == .notPermitted {
            try replaceWithOwnCopy()
            try SystemCalls.setModificationTime(descriptor, to: seconds, path: path)
        }
    }

    private func replaceWithOwnCopy() throws {
        let copyPath = spool.path(route.working, ".own-\(id.rawValue)")
        unlink(copyPath)
        let copy = open(copyPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard copy >= 0 else { throw SpoolError("create", path: copyPath, errno: errno) }
        do {
            var buffer = [UInt8](repeating: 0, count: 65536)
            var offset: off_t = 0
            while true {
                let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
                if count < 0 && errno == EINTR { continue }
                if count < 0 { throw SpoolError("read", path: path, errno: errno) }
                if count == 0 { break }
                try buffer.withUnsafeBytes { try SystemCalls.writeAll(copy, UnsafeRawBufferPointer(rebasing: $0[0..<count]), path: copyPath) }
                offset += off_t(count)
            }
            guard try SystemCalls.tryLock(copy, path: copyPath) else { throw SpoolError("flock", path: copyPath, errno: EWOULDBLOCK) }
            if fsync(copy) != 0 { throw SpoolError("fsync", path: copyPath, errno: errno) }
            if rename(copyPath, path) != 0 { throw SpoolError("rename", path: copyPath, errno: errno) }
        } catch {
            close(copy)
            unlink(copyPath)
            throw error
        }
        // The replaced file is gone from every directory; its lock goes with its descriptor.
        close(descriptor)
        descriptor = copy
    }

    func writeHolder(started: Double) throws {
        let record = HolderRecord(entry: entry.fileName, stage: route.stage.name, started: started)
        try SystemCalls.replaceFile(spool.holderPath(route.working, id), with: record.text)
    }

    /// Lets go of the task without moving it: another process (or this one) may take it again.
    public func abandon() {
        removeHolder()
        release()
    }

    private func removeHolder() { unlink(spool.holderPath(route.working, id)) }

    private func release() {
        guard !released else { return }
        released = true
        close(descriptor)
    }
}

extension Spool {
    func syncDirectoryLater(_ directory: SpoolDirectory, _ syncer: DirectorySyncer?) {
        syncer?.markDirty(path(directory))
    }
}
