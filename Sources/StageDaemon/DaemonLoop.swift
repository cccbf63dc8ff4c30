import Foundation
import Logging
import Spool
import Synchronization
import Watching

/// What every daemon of the spool that works from a queue runs around it (the stages, the
/// notifier): the watcher's thread, which offers what arrives; and the main thread's loop, which
/// rescans (with whatever else is periodic) every `rescanSeconds` or when asked, pings systemd's
/// watchdog, and ends when the daemon is stopped or, with `once`, when the queue is drained.
public final class DaemonLoop: Sendable {
    public let queue: WorkQueue
    public let notifier = SystemdNotifier()
    private let rescanSeconds: Double
    private let once: Bool
    private let stopping = Atomic<Bool>(false)
    private let rescanRequested = Atomic<Bool>(false)

    public init(queue: WorkQueue, rescanSeconds: Double, once: Bool) {
        self.queue = queue
        self.rescanSeconds = rescanSeconds
        self.once = once
    }

    /// Claims nothing more: the workers finish what they hold, then `take` returns nil.
    public func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        queue.stop()
    }

    /// Rescan at the next tick rather than at the next period.
    public func requestRescan() {
        rescanRequested.store(true, ordering: .sequentiallyConsistent)
    }

    /// Runs `periodic` (the rescan) on the calling thread every `rescanSeconds` and when asked,
    /// until stopped.
    public func superviseUntilStopped(periodic: () -> Void) {
        var nextRescan = Timestamp.now() + rescanSeconds
        let tick = min(1.0, notifier.watchdogInterval ?? 1.0)
        while !stopping.load(ordering: .sequentiallyConsistent) {
            if once && queue.isDrained {
                queue.stop()
                break
            }
            Thread.sleep(forTimeInterval: once ? 0.01 : tick)
            if notifier.watchdogInterval != nil { notifier.notify("WATCHDOG=1") }
            let now = Timestamp.now()
            if rescanRequested.exchange(false, ordering: .sequentiallyConsistent) || now >= nextRescan {
                periodic()
                nextRescan = now + rescanSeconds
            }
        }
    }

    /// Starts the watcher's thread: each name that arrives goes to `arrived`; an overflow asks
    /// for a rescan of `watched` (named in the log line).
    public func startWatching(_ watcher: InboxWatcher, watched: String, logger: Logger, arrived: @escaping @Sendable ([UInt8]) -> Void) {
        let thread = Thread { [self] in
            let failure = watcher.run(shouldStop: { stopping.load(ordering: .relaxed) }) { event in
                switch event {
                case .arrived(let name): arrived(name)
                case .overflow:
                    logger.warning("inotify queue overflowed: rescanning \(watched)")
                    requestRescan()
                }
            }
            if let failure { logger.error("\(failure); continuing on rescans every \(rescanSeconds) s") }
        }
        thread.name = "inbox-watcher"
        thread.start()
    }
}
