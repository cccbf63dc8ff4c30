import Glibc
import Spool

/// Turns a sender's raw bytes into the keeper's log lines: every byte outside printable ASCII and
/// tab becomes `.` (so no escape sequence, no carriage return and no invalid UTF-8 ever reaches a
/// reader's terminal), and each line gets the keeper's own UTC receive time in front, never one the
/// sender chose. After the time, `|` marks the sender's output and `#` the keeper's own lines, so
/// nothing a build prints can pass for what the keeper says. Memory stays flat whatever the sender
/// does: a line longer than `maximumLine` is cut into several stamped lines. What came in is in the
/// file once `take` returns (one write per frame), so a keeper killed mid-stream loses nothing it
/// had taken.
final class LineStamper {
    static let maximumLine = 16 << 10

    private let descriptor: Int32
    private let clock: () -> Double
    private var pendingLine: [UInt8] = []
    private var lineStarted: Double = 0
    private var output: [UInt8] = []
    /// Lines written so far, the keeper's own lines included.
    private(set) var lines = 0
    private(set) var writeError: Int32?

    init(descriptor: Int32, clock: @escaping () -> Double = Timestamp.now) {
        self.descriptor = descriptor
        self.clock = clock
        pendingLine.reserveCapacity(Self.maximumLine)
        output.reserveCapacity(2 * LogFrame.maximumPayload)
    }

    /// Takes bytes as they came off the socket.
    func take(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes {
            if pendingLine.isEmpty { lineStarted = clock() }
            if byte == 0x0A {
                emitPendingLine(Self.senderMark)
                continue
            }
            pendingLine.append(Self.clean(byte))
            if pendingLine.count >= Self.maximumLine { emitPendingLine(Self.senderMark) }
        }
        flush()
    }

    /// A line of the keeper's own (`=== ...`), after whatever partial line the sender left.
    func note(_ text: String) {
        if !pendingLine.isEmpty { emitPendingLine(Self.senderMark) }
        lineStarted = clock()
        pendingLine.append(contentsOf: text.utf8.map(Self.clean))
        emitPendingLine(Self.keeperMark)
    }

    /// Writes what is buffered. Call before closing or hashing the file.
    func flush() {
        var offset = 0
        while offset < output.count, writeError == nil {
            let written = output.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                writeError = errno
            } else {
                offset += written
            }
        }
        output.removeAll(keepingCapacity: true)
    }

    /// Printable ASCII and tab as they are; any other byte as `.`.
    static func clean(_ byte: UInt8) -> UInt8 { byte == 0x09 || (byte >= 0x20 && byte < 0x7F) ? byte : 0x2E }

    static let senderMark = Array(" | ".utf8)
    static let keeperMark = Array(" # ".utf8)

    private func emitPendingLine(_ mark: [UInt8]) {
        output.append(contentsOf: Array(Timestamp.format(lineStarted).utf8))
        output.append(contentsOf: mark)
        output.append(contentsOf: pendingLine)
        output.append(0x0A)
        pendingLine.removeAll(keepingCapacity: true)
        lines += 1
    }
}
