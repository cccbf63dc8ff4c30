import Foundation
import Logging
import Spool
import StageDaemon
import Synchronization
import Watching

/// `rebuilder stage notify`: watches `uploaded/` and `failed/` (inotify, and rescans at start
/// and every `rescanSeconds`) and notifies each finish of a task through `FinishNotifier`. It
/// only reads finished tasks and writes `records/<ID>/notify/`: a receiver that is down or slow
/// costs it time, never the pipeline. Finishes with retries ahead wait in the work queue until due.
public final class NotifyDaemon: Sendable {
    private let options: NotifyOptions
    private let logger: Logger
    private let queue: WorkQueue
    private let loop: DaemonLoop
    /// Entries whose finish has nothing left to do, with that finish: a rescan passes over them
    /// after one lstat, without reading their records.
    private let settled = Mutex<[[UInt8]: Finish]>([:])

    public init(options: NotifyOptions, logger: Logger) {
        // Before any thread exists, so that every thread inherits the mask (see SignalWaiter).
        SignalWaiter.blockSignals()
        self.options = options
        self.logger = logger
        queue = WorkQueue(drainOnly: options.once)
        loop = DaemonLoop(queue: queue, rescanSeconds: options.rescanSeconds, once: options.once)
    }

    /// Runs until SIGTERM/SIGINT (or, with `once`, until every finish was looked at once: retries
    /// not yet due are left for the next run).
    public func run() throws {
        // Only records/ is written; uploaded/ and failed/ are read.
        try options.spool.validate(readOnly: false, writing: [])
        // The watcher first: libinotifytools waits with select(), so its descriptor must be low.
        var watcher: InboxWatcher?
        if options.watch && !options.once {
            watcher = try InboxWatcher(directories: Finish.directories.map { options.spool.path($0) })
        }
        SignalWaiter.start { [self] signal in
            logger.info("signal \(signal): finishing the notifications in hand")
            loop.stop()
        }
        rescan()
        if let watcher {
            // The event does not say which directory: a task is in one of them at a time, and the other's lstat finds nothing.
            loop.startWatching(watcher, watched: "uploaded/ and failed/", logger: logger) { [queue] name in
                for directory in Finish.directories { queue.offer(Self.key(directory, name)) }
            }
        }
        let workers = (0..<max(1, options.concurrency)).map { index in
            WorkerThread(name: "notifier-\(index)") { [self] in
                let sender = NotificationSender(timeoutSeconds: options.timeoutSeconds)
                while let key = queue.take() { look(at: key, sender: sender) }
            }
        }
        loop.notifier.notify("READY=1\nSTATUS=notify: watching uploaded/ and failed/")
        logger.info("notifier ready: \(options.receivers.map(\.description).joined(separator: ", ")), \(options.policy.maxAttempts) attempt(s) each, \(watcher == nil ? "rescans only" : "inotify and rescans every \(options.rescanSeconds) s")")
        loop.superviseUntilStopped { rescan() }
        for worker in workers { worker.wait() }
        loop.notifier.notify("STOPPING=1")
        logger.info("notifier stopped")
    }

    /// Offers every entry of the final directories; the queue drops those it already holds.
    private func rescan() {
        for directory in Finish.directories {
            do {
                queue.offer(try options.spool.candidateNames(in: directory).map { Self.key(directory, $0) })
            } catch {
                logger.error("rescan of \(directory.rawValue)/ failed: \(error)")
            }
        }
    }

    /// A queue entry: `<directory>/<name>`.
    private static func key(_ directory: SpoolDirectory, _ name: [UInt8]) -> [UInt8] {
        Array(directory.rawValue.utf8) + [UInt8(ascii: "/")] + name
    }

    private func look(at key: [UInt8], sender: NotificationSender) {
        guard let slash = key.firstIndex(of: UInt8(ascii: "/")),
              let directory = SpoolDirectory(rawValue: String(decoding: key[..<slash], as: UTF8.self)),
              let name = String(validating: key[(slash + 1)...], as: UTF8.self) else {
            return queue.finished(key)
        }
        if let known = settled.withLock({ $0[key] }), Finish.of(name, in: directory, spool: options.spool) == known {
            return queue.finished(key)
        }
        switch FinishNotifier(options: options, logger: logger).look(at: name, in: directory, sender: sender) {
        case .settled(let finish):
            settled.withLock { $0[key] = finish }
            queue.finished(key)
        case .later(let due):
            queue.retryLater(key, due: due)
        }
    }
}
