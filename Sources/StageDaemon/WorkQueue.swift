import Foundation
import Spool

/// The names a stage will try to claim: those just announced by inotify or found by a rescan,
/// and those to look at again later (not yet due, still being written, held by another process).
/// It only ever holds hints: the claim on disk decides. Each claim is O(1): no directory listing.
/// The notifier queues finished tasks in it the same way.
public final class WorkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [[UInt8]] = []
    private var readyHead = 0
    private var later = DeadlineHeap()
    /// Names queued, waiting for later or being attempted: a rescan does not add them twice.
    private var known: Set<[UInt8]> = []
    private var busyRetries: [[UInt8]: Int] = [:]
    private var active = 0
    private var stopping = false
    private let drainOnly: Bool

    /// `drainOnly`: `take` returns nil once nothing is ready or running (for `--once`).
    public init(drainOnly: Bool) { self.drainOnly = drainOnly }

    public func offer(_ name: [UInt8]) {
        condition.lock()
        defer { condition.unlock() }
        guard known.insert(name).inserted else { return }
        ready.append(name)
        condition.signal()
    }

    public func offer(_ names: [[UInt8]]) { for name in names { offer(name) } }

    /// Blocks until a name is ready; nil when the stage stops (or, draining, runs out of work).
    public func take(now: () -> Double = Timestamp.now) -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if stopping { return nil }
            while let due = later.popDue(now: now()) { ready.append(due) }
            if readyHead < ready.count {
                let name = ready[readyHead]
                readyHead += 1
                if readyHead > 4096 && readyHead * 2 > ready.count {
                    ready.removeFirst(readyHead)
                    readyHead = 0
                }
                active += 1
                return name
            }
            if drainOnly && active == 0 {
                condition.broadcast()
                return nil
            }
            if let earliest = later.earliest {
                _ = condition.wait(until: Date(timeIntervalSince1970: earliest))
            } else {
                condition.wait()
            }
        }
    }

    /// The attempt on `name` is over and nothing more is to be done with it.
    public func finished(_ name: [UInt8]) {
        condition.lock()
        known.remove(name)
        busyRetries[name] = nil
        active -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Look at `name` again at `due`.
    public func retryLater(_ name: [UInt8], due: Double) {
        condition.lock()
        later.insert(name, due: due)
        active -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Another process holds `name`: look again soon, then less and less often; the holder is
    /// usually the previous stage that has just renamed it in and is about to let go.
    func retryBusy(_ name: [UInt8], now: Double, longest: Double) {
        condition.lock()
        let tries = busyRetries[name, default: 0]
        busyRetries[name] = tries + 1
        later.insert(name, due: now + min(longest, 0.0005 * pow(4, Double(min(tries, 20)))))
        active -= 1
        condition.broadcast()
        condition.unlock()
    }

    public func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// Whether a drain (`--once`) has finished: nothing ready and nothing running.
    public var isDrained: Bool {
        condition.lock()
        defer { condition.unlock() }
        return readyHead >= ready.count && active == 0
    }
}
