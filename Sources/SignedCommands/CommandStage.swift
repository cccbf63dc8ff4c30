import Foundation
import Logging
import StageDaemon
import Watching

/// `rebuilder stage commands`: the desk run on each file that arrives in the inbox, through the
/// loop every spool daemon shares (`DaemonLoop`): inotify offers names, a rescan every
/// `rescanSeconds` offers them all (it also catches what a watcher cannot see: files written on
/// another host of a shared spool), and one worker takes them in turn, so commands are carried
/// out one at a time in the order they are taken.
public final class CommandStage: Sendable {
    private let desk: CommandDesk
    private let loop: DaemonLoop
    private let watch: Bool

    public init(desk: CommandDesk, rescanSeconds: Double, once: Bool, watch: Bool) {
        self.desk = desk
        self.watch = watch && !once
        loop = DaemonLoop(queue: WorkQueue(drainOnly: once), rescanSeconds: rescanSeconds, once: once)
    }

    public func stop() { loop.stop() }

    /// Until `stop`, or with `once` until the inbox as it was at the start is done.
    public func run(logger: Logger) {
        let queue = loop.queue
        let desk = desk
        if watch {
            do {
                loop.startWatching(try InboxWatcher(directory: desk.settings.inbox), watched: desk.settings.inbox, logger: logger) { queue.offer($0) }
            } catch {
                logger.error("\(error); continuing on rescans")
            }
        }
        desk.pruneAccepted()
        queue.offer(desk.inboxNames())
        let worker = WorkerThread(name: "commands") {
            while let name = queue.take() {
                desk.process(String(decoding: name, as: UTF8.self), now: Date().timeIntervalSince1970)
                queue.finished(name)
            }
        }
        loop.notifier.notify("READY=1")
        loop.superviseUntilStopped {
            desk.pruneAccepted()
            queue.offer(desk.inboxNames())
        }
        worker.wait()
        loop.notifier.notify("STOPPING=1")
    }
}
