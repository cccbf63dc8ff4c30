import SystemPackage
import CLinuxCalls
import Glibc

extension Spool {
    /// Tries to take one entry of `route.inbox` for `route.stage`.
    ///
    /// The task file is locked (flock) before it moves, and the lock goes with it, so there is no
    /// instant at which a claimed task sits unlocked in a working directory for recovery to take.
    public func claim(_ name: [UInt8], route: StageRoute, limits: ClaimLimits,
                      syncer: DirectorySyncer?, now: Double = Timestamp.now()) throws -> ClaimOutcome {
        let entry: TaskEntry
        switch EntryName.classify(name) {
        case .hidden: return .ignored
        case .invalid(let reason): return try quarantined(name, route, reason, syncer)
        case .task(let named): entry = named
        }
        let inboxPath = path(route.inbox, entry.fileName)

        let fd = open(inboxPath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        if fd < 0 {
            switch errno {
            case ENOENT: return .gone
            case ELOOP: return try quarantined(name, route, "is a symbolic link", syncer)
            case ENXIO: return try quarantined(name, route, "is a socket", syncer)
            case EACCES: return try quarantined(name, route, "cannot be read by the \(route.stage) stage", syncer)
            default: throw SpoolError("open", path: inboxPath, errno: errno)
            }
        }
        var keep = false
        defer { if !keep { close(fd) } }

        let info = try SystemCalls.status(of: fd, path: inboxPath)
        guard info.isRegularFile else {
            return try quarantined(name, route, "is \(info.kindDescription), not a regular file", syncer)
        }
        guard try SystemCalls.tryLock(fd, path: inboxPath) else { return .busy }
        guard let current = try SystemCalls.linkStatus(inboxPath), current.isSameFile(as: info) else { return .gone }
        if info.modificationSeconds > now + 0.001 { return .notDue(until: info.modificationSeconds) }
        if route.acceptsOutsideWriters, let retryAt = incompleteUntil(fd, info, limits, now) {
            return .incomplete(retryAt: retryAt)
        }
        if info.st_size == 0 { return try quarantined(name, route, "is empty", syncer) }
        if info.st_size > limits.maxTaskBytes {
            return try quarantined(name, route, "is \(info.st_size) bytes, over the limit of \(limits.maxTaskBytes)", syncer)
        }

        // The records are opened (created) before the task moves: a link planted as records/<ID>
        // must never be followed, and a task with one goes nowhere but quarantine.
        let records: TaskRecords
        do {
            records = try self.records(of: entry.id)
        } catch let error as SpoolError where error.isNotPlainRecords {
            return try quarantined(name, route, "its records/\(entry.id) \(SpoolError.notPlainRecordsReason)", syncer)
        }
        if route.claimsByRename {
            do {
                try SystemCalls.renameNoReplace(inboxPath, path(route.working, entry.fileName))
            } catch let error as SpoolError where error.errno == .noSuchFileOrDirectory {
                return .gone
            } catch let error as SpoolError where error.errno == .fileExists {
                return try quarantined(name, route, "a task named \(entry.id) is already in \(route.working.rawValue)/", syncer)
            }
        }
        let task = ClaimedTask(spool: self, route: route, entry: entry, descriptor: fd, records: records, syncer: syncer)
        keep = true
        if !route.claimsByRename, try holder(in: route.working, of: entry.id) != nil {
            // A holder record with no live lock: the process that held this task died mid-work.
            if let failure = try task.countAbandonedAttempt(now: now) { return failure }
        }
        try task.writeHolder(started: now)
        record(HistoryEvent(time: now, stage: route.stage, event: "claimed",
                            detail: "attempt \(task.entry.failedAttempts + 1)"), for: entry.id)
        return .claimed(task)
    }

    private func quarantined(_ name: [UInt8], _ route: StageRoute, _ reason: String,
                             _ syncer: DirectorySyncer?) throws -> ClaimOutcome {
        do {
            let generated = try quarantine(name, in: route.inbox, reason: reason, stage: route.stage, syncer: syncer)
            return .quarantined(name: generated, reason: "'\(printableName(name))' \(reason)")
        } catch let error as SpoolError where error.errno == .noSuchFileOrDirectory {
            return .gone
        }
    }

    /// When a file written in place into the inbox may be complete: at once when no process on
    /// this host has it open for writing (a read lease is refused while one does); where leases
    /// are not available, once it has not changed for the settle time.
    private func incompleteUntil(_ fd: Int32, _ info: stat, _ limits: ClaimLimits, _ now: Double) -> Double? {
        if linux_probe_read_lease(fd) == 0 { return nil }
        if errno == EAGAIN || errno == EBUSY { return now + min(0.5, limits.settleSeconds) }
        let settled = info.modificationSeconds + limits.settleSeconds
        return settled > now ? settled : nil
    }
}
