import Foundation
import Synchronization
import Watching

/// `rebuilder stage commands`: the desk run on every file that arrives in the inbox (inotify)
/// and on a rescan every `rescanSeconds`, which also catches what a watcher cannot see (files
/// written on another host of a shared spool).
public final class CommandStage: Sendable {
    private let desk: CommandDesk
    private let rescanSeconds: Double
    private let stopped = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)

    public init(desk: CommandDesk, rescanSeconds: Double) {
        self.desk = desk
        self.rescanSeconds = rescanSeconds
    }

    public func stop() {
        stopped.store(true, ordering: .releasing)
        wake.signal()
    }

    /// Until `stop`; `once`: one pass over the inbox. `watchFailed` hears why inotify stopped.
    public func run(once: Bool, watch: Bool, ready: () -> Void, watchFailed: @escaping @Sendable (String) -> Void) {
        if watch && !once {
            do {
                let watcher = try InboxWatcher(directory: desk.settings.inbox)
                let thread = Thread { [self] in
                    if let failure = watcher.run(shouldStop: { self.stopped.load(ordering: .acquiring) }, deliver: { _ in self.wake.signal() }) {
                        watchFailed("\(failure); continuing on rescans every \(self.rescanSeconds) s")
                    }
                }
                thread.name = "inbox-watcher"
                thread.start()
            } catch {
                watchFailed("\(error); continuing on rescans every \(rescanSeconds) s")
            }
        }
        ready()
        repeat {
            desk.processInbox()
            if once { break }
            _ = wake.wait(timeout: .now() + rescanSeconds)
        } while !stopped.load(ordering: .acquiring)
    }
}
