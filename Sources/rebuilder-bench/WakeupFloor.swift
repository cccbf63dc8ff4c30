import Foundation
import Glibc
import Synchronization

struct WakeupFloorResult: Codable, Sendable {
    var samples: Int
    /// rename(2) returned → a thread blocked in read(2) on an inotify descriptor has the event, ms.
    var inotifyRead: Distribution?
    /// … → then a second thread, woken through a condition variable, runs: the path a stage
    /// daemon's claim takes (its inbox watcher thread hands the name to a worker thread), ms.
    var workerWoken: Distribution?
}

/// What the machine alone costs for one hop, with no spool code: a rename into a watched
/// directory, seen by one thread through inotify and handed to another, as a stage daemon does.
/// On a virtual machine whose idle CPUs halt, most of a hop's tail is here.
enum WakeupFloor {
    private final class Watcher: Sendable {
        private struct State {
            var reads: [Double] = []
            var wakes: [Double] = []
            var pending = 0
            var stopping = false
        }

        private let descriptor: Int32
        private let condition = NSCondition()
        private let state = Mutex(State())

        init(directory: String) throws {
            descriptor = inotify_init1(Int32(IN_CLOEXEC))
            guard descriptor >= 0, inotify_add_watch(descriptor, directory, UInt32(IN_MOVED_TO)) >= 0 else {
                throw WatchSetupError(description: "inotify on \(directory): \(String(cString: strerror(errno)))")
            }
            let reader = Thread { [self] in self.readEvents() }
            reader.name = "floor-inotify"
            reader.start()
            let worker = Thread { [self] in self.work() }
            worker.name = "floor-worker"
            worker.start()
        }

        var counts: (reads: Int, wakes: Int) { state.withLock { ($0.reads.count, $0.wakes.count) } }
        var times: (reads: [Double], wakes: [Double]) { state.withLock { ($0.reads, $0.wakes) } }

        func stop() {
            state.withLock { $0.stopping = true }
            condition.lock()
            condition.broadcast()
            condition.unlock()
        }

        private func readEvents() {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                let now = Clock.monotonic()
                if count < 0 && errno == EINTR { continue }
                if count <= 0 || state.withLock({ $0.stopping }) { break }
                state.withLock { $0.reads.append(now) }
                condition.lock()
                state.withLock { $0.pending += 1 }
                condition.signal()
                condition.unlock()
            }
            close(descriptor)
        }

        private func work() {
            condition.lock()
            defer { condition.unlock() }
            while true {
                let (pending, stopping) = state.withLock { ($0.pending, $0.stopping) }
                if stopping { return }
                if pending == 0 {
                    condition.wait()
                    continue
                }
                let now = Clock.monotonic()
                state.withLock { state in
                    state.pending -= 1
                    state.wakes.append(now)
                }
            }
        }
    }

    static func measure(in directory: String, samples: Int, pause: Double) throws -> WakeupFloorResult {
        let outside = "\(directory)/outside", watched = "\(directory)/watched"
        for path in [outside, watched] where mkdir(path, 0o755) != 0 { throw FilesystemError("mkdir", path) }
        let away = "\(outside)/task", inside = "\(watched)/task"
        let fd = open(away, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FilesystemError("create", away) }
        close(fd)

        let watcher = try Watcher(directory: watched)
        var renamed: [Double] = []
        for sample in 0..<samples {
            guard rename(away, inside) == 0 else { throw FilesystemError("rename", away) }
            renamed.append(Clock.monotonic())
            let deadline = Clock.monotonic() + 1
            while watcher.counts.wakes <= sample && Clock.monotonic() < deadline { Clock.sleep(0.0002) }
            guard rename(inside, away) == 0 else { throw FilesystemError("rename", inside) }
            Clock.sleep(pause)
        }
        watcher.stop()
        _ = rename(away, inside) // wakes the reader so that it sees the stop
        let (reads, wakes) = watcher.times
        let count = min(renamed.count, reads.count, wakes.count)
        return WakeupFloorResult(
            samples: count,
            inotifyRead: Distribution((0..<count).map { (reads[$0] - renamed[$0]) * 1000 }),
            workerWoken: Distribution((0..<count).map { (wakes[$0] - renamed[$0]) * 1000 }))
    }
}
