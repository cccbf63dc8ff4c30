import Glibc

/// Reads frames off a socket into one fixed buffer (two frames' worth), handing data frames'
/// bytes to the caller in place, so a stream of any length costs the same memory.
final class FrameReader {
    enum Next: Equatable {
        /// A header or end frame with its payload; a data frame (payload already handed on) with none.
        case frame(LogFrameKind, [UInt8])
        /// Nothing came within the socket's receive timeout.
        case idle
        /// The sender closed the connection (or died).
        case closed
    }

    private let descriptor: Int32
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer = [UInt8](repeating: 0, count: 2 * (LogFrame.maximumPayload + LogFrame.headerSize))
    }

    func next(data: (UnsafeRawBufferPointer) -> Void = { _ in }) throws(LogStreamError) -> Next {
        while true {
            if end - start >= LogFrame.headerSize {
                let (kind, length) = try LogFrame.decodeHeader(buffer[start..<start + LogFrame.headerSize]).get()
                let frameEnd = start + LogFrame.headerSize + length
                if end >= frameEnd {
                    let payloadStart = start + LogFrame.headerSize
                    start = frameEnd
                    if kind == .data {
                        buffer.withUnsafeBytes { data(UnsafeRawBufferPointer(rebasing: $0[payloadStart..<frameEnd])) }
                        return .frame(.data, [])
                    }
                    return .frame(kind, Array(buffer[payloadStart..<frameEnd]))
                }
            }
            if start > 0 && (end == start || buffer.count - end < LogFrame.maximumPayload + LogFrame.headerSize) {
                buffer.withUnsafeMutableBytes { raw in
                    _ = memmove(raw.baseAddress!, raw.baseAddress! + start, end - start)
                }
                end -= start
                start = 0
            }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + end, $0.count - end) }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return .idle }
                throw LogStreamError("read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return .closed }
            end += count
        }
    }
}
