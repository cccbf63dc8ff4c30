import Foundation
import Glibc
import Synchronization

/// Reads a child's stderr on its own thread (so the child never blocks on a full pipe), keeps the
/// last lines for error messages and notes when the line announcing readiness arrived.
final class StderrLog: Sendable {
    private struct State {
        var tail: [String] = []
        var readyAt: Double?
        var closed = false
    }

    private let state = Mutex(State())
    private let readyMarker: String
    private static let kept = 40

    /// Takes ownership of `descriptor` (the read end of the pipe) and closes it at end of file.
    init(descriptor: Int32, readyMarker: String) {
        self.readyMarker = readyMarker
        let thread = Thread { [self] in self.drain(descriptor) }
        thread.name = "stderr-reader"
        thread.start()
    }

    /// Wall-clock time at which the ready line was read, if it has been.
    var readyAt: Double? { state.withLock { $0.readyAt } }
    var isClosed: Bool { state.withLock { $0.closed } }
    var lastLines: [String] { state.withLock { $0.tail } }

    private func drain(_ descriptor: Int32) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            let now = Clock.wall()
            pending.append(contentsOf: buffer[0..<count])
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                accept(line, at: now)
            }
        }
        if !pending.isEmpty { accept(String(decoding: pending, as: UTF8.self), at: Clock.wall()) }
        close(descriptor)
        state.withLock { $0.closed = true }
    }

    private func accept(_ line: String, at time: Double) {
        let isReady = line.contains(readyMarker)
        state.withLock { state in
            state.tail.append(line)
            if state.tail.count > StderrLog.kept { state.tail.removeFirst(state.tail.count - StderrLog.kept) }
            if isReady && state.readyAt == nil { state.readyAt = time }
        }
    }
}
