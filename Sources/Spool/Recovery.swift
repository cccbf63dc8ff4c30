import Glibc

/// What one recovery sweep did.
public struct RecoveryReport: Sendable, Equatable {
    public var requeued: [TaskID] = []
    public var failed: [TaskID] = []
    public var staleHoldersRemoved = 0

    public init() {}
    public var changedAnything: Bool { !requeued.isEmpty || !failed.isEmpty || staleHoldersRemoved > 0 }
}

extension Spool {
    /// Puts back what a dead process held in the stage's working directory: a task that no live
    /// process has locked (and, where the inbox is the working directory, that a holder record says
    /// was being worked on) gets one more failed attempt and is due again at once. Liveness is
    /// the lock alone: no timer decides that a holder is dead.
    ///
    /// `isHeldHere` names the tasks this process holds itself: on NFS, flock is emulated by POSIX
    /// locks, which never conflict within one process, so the sweep must not ask the lock about them.
    public func recover(route: StageRoute, isHeldHere: (TaskID) -> Bool = { _ in false },
                        syncer: DirectorySyncer?, now: Double = Timestamp.now()) throws -> RecoveryReport {
        var report = RecoveryReport()
        let listing = try listing(route.working)
        let holders = listing.holderIDs
        var present = Set<TaskID>()

        for entry in listing.tasks {
            present.insert(entry.id)
            guard !isHeldHere(entry.id), route.claimsByRename || holders.contains(entry.id) else { continue }
            let taskPath = path(route.working, entry.fileName)
            let fd = open(taskPath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            if fd < 0 { continue }
            guard try SystemCalls.tryLock(fd, path: taskPath),
                  let info = try? SystemCalls.status(of: fd, path: taskPath),
                  let current = try SystemCalls.linkStatus(taskPath), current.isSameFile(as: info) else {
                close(fd)
                continue
            }
            let records: TaskRecords
            do {
                records = try self.records(of: entry.id)
            } catch let error as SpoolError where error.isNotPlainRecords {
                defer { close(fd) }
                try quarantine(Array(entry.fileName.utf8), in: route.working,
                               reason: "its records/\(entry.id) \(SpoolError.notPlainRecordsReason)", stage: route.stage, syncer: syncer)
                report.failed.append(entry.id)
                continue
            }
            let task = ClaimedTask(spool: self, route: route, entry: entry, descriptor: fd, records: records, syncer: syncer)
            if case .failed = try task.countAbandonedAttempt(now: now) {
                report.failed.append(entry.id)
            } else {
                report.requeued.append(entry.id)
                if !route.claimsByRename { task.abandon() }
            }
        }

        for id in holders where !present.contains(id) && !isHeldHere(id) {
            // The task has moved on; its holder's owner died before removing this record.
            if unlink(holderPath(route.working, id)) == 0 { report.staleHoldersRemoved += 1 }
        }
        return report
    }

    /// Deliveries are written in tmp/ and renamed in; what is left there for an hour was never
    /// delivered (its writer died) and was never acknowledged to anyone. Spool-wide, unlike the
    /// per-stage sweep: the build stage (whose inbox deliveries go to) and `rebuilder recover` run it.
    public func removeAbandonedTemporaries(now: Double = Timestamp.now(), olderThan age: Double = 3600) throws -> Int {
        var removed = 0
        for name in try SystemCalls.listNames(path(.tmp)) {
            // Raw bytes: whatever wrote the name, it is removed by that name.
            let entryPath = rawPath(.tmp, name)
            var info = stat()
            guard entryPath.withUnsafeBufferPointer({ lstat($0.baseAddress!, &info) }) == 0,
                  now - info.modificationSeconds > age else { continue }
            if info.isRegularFile {
                if entryPath.withUnsafeBufferPointer({ unlink($0.baseAddress!) }) == 0 { removed += 1 }
            } else if info.isDirectory, String(decoding: name, as: UTF8.self).hasSuffix(Spool.preparedRecordsSuffix) {
                // A record prepared for a delivery that died before renaming it into records/.
                let prepared = path(.tmp, String(decoding: name, as: UTF8.self))
                if (try? SystemCalls.removeEntry(prepared, in: AT_FDCWD, path: prepared)) != nil { removed += 1 }
            }
        }
        return removed
    }
}
