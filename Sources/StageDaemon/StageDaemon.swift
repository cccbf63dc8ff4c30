import Foundation
import Logging
import Spool
import Watching

/// One stage: claims tasks from its inbox, runs its job on each, hands them on. Woken by inotify,
/// and by rescans on start, on event overflow and every `rescanSeconds`; recovery sweeps put back
/// what dead processes held. It keeps no state that matters: everything is on disk.
public final class StageDaemon: Sendable {
    private let options: StageOptions
    private let logger: Logger
    private let queue: WorkQueue
    private let loop: DaemonLoop
    private let syncer: DirectorySyncer
    private let held = HeldTasks()
    private let counters = StageCounters()

    public init(options: StageOptions, logger: Logger) {
        // Before any thread exists, so that every thread inherits the mask (see SignalWaiter).
        SignalWaiter.blockSignals()
        self.options = options
        self.logger = logger
        queue = WorkQueue(drainOnly: options.once)
        loop = DaemonLoop(queue: queue, rescanSeconds: options.rescanSeconds, once: options.once)
        syncer = DirectorySyncer(enabled: options.fsync)
    }

    /// Runs until SIGTERM/SIGINT (or, with `once`, until the inbox is drained). Throws when the
    /// spool cannot be used at all.
    public func run() throws {
        let route = options.route
        try options.spool.validate(readOnly: false, writing: options.route.writes)

        // The watcher first: libinotifytools waits with select(), so its descriptor must be low.
        var watcher: InboxWatcher?
        if options.watch && !options.once {
            watcher = try InboxWatcher(directory: options.spool.path(route.inbox))
        }
        SignalWaiter.start { [self] signal in
            logger.info("signal \(signal): finishing the tasks in hand, claiming no more")
            loop.stop()
        }

        sweep()
        rescan()
        if let watcher {
            loop.startWatching(watcher, watched: "\(route.inbox.rawValue)/", logger: logger) { [queue] name in queue.offer(name) }
        }
        let workers = (0..<max(1, options.concurrency)).map { index in startWorker(index) }
        loop.notifier.notify("READY=1\nSTATUS=\(route.stage): watching \(route.inbox.rawValue)/")
        logger.info("stage \(route.stage) ready: inbox \(options.spool.path(route.inbox)), \(options.concurrency) worker(s), \(watcher == nil ? "rescans only" : "inotify and rescans every \(options.rescanSeconds) s")")

        loop.superviseUntilStopped { [self] in
            sweep()
            rescan()
            loop.notifier.notify("STATUS=\(options.route.stage): \(counters.summary)")
        }
        for worker in workers { worker.wait() }
        let unsynced = syncer.flush()
        for failure in unsynced { logger.error("directory fsync failed: \(failure)") }
        loop.notifier.notify("STOPPING=1")
        logger.info("stage \(route.stage) stopped: \(counters.summary)")
    }

    private func rescan() {
        do {
            queue.offer(try options.spool.candidateNames(in: options.route.inbox))
        } catch {
            logger.error("rescan failed: \(error)")
        }
    }

    private func sweep() {
        do {
            let report = try options.spool.recover(route: options.route, isHeldHere: held.contains, syncer: syncer)
            if report.changedAnything {
                logger.notice("recovery: requeued \(report.requeued.count) task(s) abandoned by dead holders, failed \(report.failed.count), removed \(report.staleHoldersRemoved) stale holder record(s)")
            }
            if !report.requeued.isEmpty && options.route.claimsByRename { loop.requestRescan() }
            if options.route.acceptsOutsideWriters {
                let removed = try options.spool.removeAbandonedTemporaries()
                if removed > 0 { logger.notice("recovery: removed \(removed) abandoned temporary file(s) from tmp/") }
            }
        } catch {
            logger.error("recovery sweep failed: \(error)")
        }
    }

    private func startWorker(_ index: Int) -> WorkerThread {
        WorkerThread(name: "worker-\(index)") { [self] in
            while let name = queue.take() { attempt(name) }
        }
    }

    /// One claim attempt on one inbox name, and the job if the claim succeeds.
    private func attempt(_ name: [UInt8]) {
        let outcome: ClaimOutcome
        do {
            outcome = try options.spool.claim(name, route: options.route, limits: options.limits, syncer: syncer)
        } catch {
            logger.error("claim of '\(printableName(name))' failed: \(error)")
            queue.retryLater(name, due: Timestamp.now() + options.rescanSeconds)
            return
        }
        switch outcome {
        case .claimed(let task):
            counters.bump(.claimed)
            held.insert(task.id)
            process(task)
            held.remove(task.id)
            queue.finished(name)
        case .notDue(let until):
            queue.retryLater(name, due: until)
        case .incomplete(let retryAt):
            queue.retryLater(name, due: retryAt)
        case .busy:
            queue.retryBusy(name, now: Timestamp.now(), longest: options.rescanSeconds)
        case .gone, .ignored:
            queue.finished(name)
        case .quarantined(let generated, let reason):
            counters.bump(.quarantined)
            logger.warning("quarantined \(reason): moved to failed/\(generated)")
            queue.finished(name)
        case .failed(let id, let reason):
            counters.bump(.failed)
            logger.warning("\(id) failed: \(reason)")
            queue.finished(name)
        }
    }

    private func process(_ task: ClaimedTask) {
        let verdict = options.work.perform(task)
        do {
            switch verdict {
            case .done:
                try task.handOn()
                counters.bump(.handedOn)
            case .retry(let reason, let limit):
                switch try task.retry(reason: reason, maxAttempts: limit) {
                case .deferred(let until):
                    counters.bump(.deferred)
                    logger.notice("\(task.id): \(reason); retrying at \(Timestamp.format(until))")
                case .failed:
                    counters.bump(.failed)
                    logger.warning("\(task.id) failed after its last attempt: \(reason)")
                }
            case .postponed(let reason):
                let due = Timestamp.now() + options.rescanSeconds
                try task.postpone(reason: reason, until: due)
                counters.bump(.deferred)
                logger.notice("\(task.id): \(reason); looked at again at \(Timestamp.format(due))")
            case .failed(let reason):
                try task.fail(reason: reason)
                counters.bump(.failed)
                logger.warning("\(task.id) failed: \(reason)")
            }
        } catch {
            // Left where it is, unlocked: the recovery sweep counts the attempt and requeues it.
            logger.error("\(task.id): moving it after \(verdict) failed: \(error)")
            task.abandon()
        }
    }
}

/// A thread that can be joined.
public final class WorkerThread: Sendable {
    private let done = DispatchSemaphore(value: 0)

    public init(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [done] in
            body()
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    public func wait() { done.wait() }
}
