import Foundation
import Glibc
import Synchronization

struct WatchSetupError: Error, CustomStringConvertible {
    var description: String
}

/// Counts the tasks (not dot files) renamed into one directory (inotify IN_MOVED_TO) on its own thread, keeping
/// when each arrived: for the scale run, every rename into building/ is one claim.
final class MoveWatcher: Sendable {
    struct Arrival: Sendable {
        var name: String
        /// Wall clock, when the bench read the event.
        var wall: Double
    }

    private struct State {
        var count = 0
        var first: Arrival?
        /// (monotonic time read, arrivals so far), one point per read(2).
        var timeline: [(Double, Int)] = []
        var overflowed = false
    }

    private let descriptor: Int32
    private let state = Mutex(State())
    private let stopping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    init(directory: String) throws {
        descriptor = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard descriptor >= 0 else { throw WatchSetupError(description: "inotify_init1: \(String(cString: strerror(errno)))") }
        guard inotify_add_watch(descriptor, directory, UInt32(IN_MOVED_TO)) >= 0 else {
            let failure = errno
            close(descriptor)
            throw WatchSetupError(description: "inotify_add_watch \(directory): \(String(cString: strerror(failure)))")
        }
        let thread = Thread { [self] in self.run() }
        thread.name = "move-watcher"
        thread.start()
    }

    var count: Int { state.withLock { $0.count } }
    var first: Arrival? { state.withLock { $0.first } }
    var overflowed: Bool { state.withLock { $0.overflowed } }
    /// Monotonic time of the last read that brought arrivals.
    var lastArrival: Double? { state.withLock { $0.timeline.last?.0 } }

    /// Arrivals counted by monotonic time `time` (the last read at or before it).
    func count(at time: Double) -> Int {
        state.withLock { state in
            var low = 0
            var high = state.timeline.count
            while low < high {
                let middle = (low + high) / 2
                if state.timeline[middle].0 <= time { low = middle + 1 } else { high = middle }
            }
            return low == 0 ? 0 : state.timeline[low - 1].1
        }
    }

    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        while !finished.load(ordering: .sequentiallyConsistent) { Clock.sleep(0.005) }
        close(descriptor)
    }

    private func run() {
        var buffer = [UInt8](repeating: 0, count: 1 << 18)
        var waiter = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while !stopping.load(ordering: .relaxed) {
            if poll(&waiter, 1, 100) <= 0 { continue }
            let length = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard length > 0 else { continue }
            let readAt = Clock.monotonic()
            let wall = Clock.wall()
            var arrivals = 0
            var firstName: String?
            var overflow = false
            buffer.withUnsafeBytes { raw in
                var offset = 0
                let headerSize = MemoryLayout<inotify_event>.size
                while offset + headerSize <= length {
                    let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let nameLength = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    if mask & UInt32(IN_Q_OVERFLOW) != 0 { overflow = true }
                    // Dot files are bookkeeping (a holder record is renamed into place): not tasks.
                    let nameStart = offset + headerSize
                    if mask & UInt32(IN_MOVED_TO) != 0 && nameLength > 0 && raw[nameStart] != 0x2E {
                        arrivals += 1
                        if firstName == nil {
                            let name = raw[nameStart..<(nameStart + nameLength)]
                            firstName = String(decoding: name.prefix { $0 != 0 }, as: UTF8.self)
                        }
                    }
                    offset += headerSize + nameLength
                }
            }
            state.withLock { state in
                if overflow { state.overflowed = true }
                if state.first == nil, let firstName { state.first = Arrival(name: firstName, wall: wall) }
                guard arrivals > 0 else { return }
                state.count += arrivals
                state.timeline.append((readAt, state.count))
            }
        }
        finished.store(true, ordering: .sequentiallyConsistent)
    }
}
