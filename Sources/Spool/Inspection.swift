import Glibc

/// What `rebuilder status` reports, built from what is on disk alone so that it also works on a
/// read-only `rsync -a` mirror of a spool, where no lock exists.
public struct SpoolStatus: Codable, Sendable {
    public struct Directory: Codable, Sendable {
        public var name: String
        public var tasks: Int
        /// Tasks waiting for a later attempt (their mtime, the due time, is in the future).
        public var deferred: Int
        /// Entries that are not tasks (bad names); the stage quarantines them when it sees them.
        public var notTasks: Int
        /// Seconds the longest-waiting due task has been here (since its rename in), if any.
        public var oldestWaitingSeconds: Double?
    }

    public struct InProgress: Codable, Sendable {
        public var stage: String
        public var task: String
        public var directory: String
        public var host: String?
        public var pid: Int32?
        public var started: String?
        /// `held`: its lock is held now; `stale`: its holder is gone (recovery will requeue it);
        /// `recorded`: held by another host as far as the record says (locks cannot be seen here).
        public var state: String
    }

    public var root: String
    public var generatedAt: String
    public var directories: [Directory]
    public var inProgress: [InProgress]
}

extension Spool {
    public func status(now: Double = Timestamp.now()) throws -> SpoolStatus {
        var directories: [SpoolStatus.Directory] = []
        var listings: [SpoolDirectory: DirectoryListing] = [:]
        for directory in SpoolDirectory.allCases {
            let listing = try listing(directory)
            listings[directory] = listing
            var deferred = 0
            var oldestArrival: Double?
            if !directory.isTerminal && directory != .tmp {
                for entry in listing.tasks {
                    guard let info = try SystemCalls.linkStatus(path(directory, entry.fileName)) else { continue }
                    if info.modificationSeconds > now { deferred += 1; continue }
                    oldestArrival = min(oldestArrival ?? info.changeSeconds, info.changeSeconds)
                }
            }
            let count = directory == .tmp ? listing.tasks.count + listing.invalid.count : listing.tasks.count
            directories.append(.init(name: directory.rawValue, tasks: count, deferred: deferred,
                                     notTasks: directory == .tmp ? 0 : listing.invalid.count,
                                     oldestWaitingSeconds: oldestArrival.map { max(0, now - $0) }))
        }
        return SpoolStatus(root: root, generatedAt: Timestamp.format(now), directories: directories,
                           inProgress: try tasksInProgress(listings: listings))
    }

    /// Tasks with a holder record, and tasks in a claim-by-rename working directory, which are held
    /// by definition. `listings`: directories already listed, so none is read twice.
    public func tasksInProgress(listings: [SpoolDirectory: DirectoryListing] = [:]) throws -> [SpoolStatus.InProgress] {
        var result: [SpoolStatus.InProgress] = []
        for route in StageRoute.all {
            let listing = try listings[route.working] ?? listing(route.working)
            // Only holder records that exist are read: an inbox of in-place stage may hold a backlog.
            let holders = listing.holderIDs
            for entry in listing.tasks {
                let hasHolder = holders.contains(entry.id)
                guard route.claimsByRename || hasHolder else { continue }
                let recorded = hasHolder ? (try? holder(in: route.working, of: entry.id)).flatMap { $0 } : nil
                result.append(SpoolStatus.InProgress(
                    stage: route.stage.name, task: entry.fileName, directory: route.working.rawValue,
                    host: recorded?.host, pid: recorded?.pid, started: recorded.map { Timestamp.format($0.started) },
                    state: lockState(path(route.working, entry.fileName), recorded)))
            }
        }
        return result
    }

    /// The lock is only asked on the host that recorded it: on a mirror or another host's spool
    /// copy, a free lock says nothing.
    private func lockState(_ taskPath: String, _ recorded: HolderRecord?) -> String {
        guard let recorded, recorded.host == Actor.current.host else { return "recorded" }
        let fd = open(taskPath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return "recorded" }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 { return "stale" }
        return "held"
    }

    /// Everything known about one task.
    public func report(on id: TaskID, now: Double = Timestamp.now()) throws -> TaskReport {
        var places: [TaskReport.Place] = []
        for (directory, entry) in try locate(id) {
            let info = try SystemCalls.linkStatus(path(directory, entry.fileName))
            let due = info.flatMap { $0.modificationSeconds > now ? Timestamp.format($0.modificationSeconds) : nil }
            places.append(.init(directory: directory.rawValue, file: entry.fileName,
                                failedAttempts: entry.failedAttempts, dueAt: due))
        }
        let holders = try tasksInProgress().filter { TaskEntry(fileName: $0.task)?.id == id }
        let original = try records(of: id, create: false)?.read("original-name")
        return TaskReport(task: id.rawValue, places: places, inProgress: holders.first,
                          reason: try reason(of: id)?.trimmingTrailingNewlines,
                          quarantinedEntry: original.map { String(decoding: $0, as: UTF8.self).trimmingTrailingNewlines },
                          history: try history(of: id).map(TaskReport.Event.init))
    }
}

public struct TaskReport: Codable, Sendable {
    public struct Place: Codable, Sendable {
        public var directory: String
        public var file: String
        public var failedAttempts: Int
        public var dueAt: String?
    }

    public struct Event: Codable, Sendable {
        public var time: String
        public var stage: String
        public var event: String
        public var actor: String
        public var detail: String

        init(_ event: HistoryEvent) {
            time = Timestamp.format(event.time)
            stage = event.stage
            self.event = event.event
            actor = event.actor
            detail = event.detail
        }
    }

    public var task: String
    public var places: [Place]
    public var inProgress: SpoolStatus.InProgress?
    public var reason: String?
    public var quarantinedEntry: String?
    public var history: [Event]
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
