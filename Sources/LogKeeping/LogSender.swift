import Glibc
import Synchronization

/// The build stage's end of a log stream: connects to the keeper, says which task and attempt the
/// log is for, then passes the build's output on as it comes. A keeper that stops reading for
/// `stallSeconds` or goes away breaks the stream; the build goes on, and `broken` says why (the
/// task must then be built again: a log the keeper did not get whole gets no receipt worth signing).
public final class LogSender: Sendable {
    public static let stallSeconds = 60
    private let descriptor: Int32
    private let failure = Mutex<String?>(nil)

    public init(socket path: String, header: LogStreamHeader) throws(LogStreamError) {
        descriptor = try UnixSocket.connect(to: path)
        UnixSocket.setTimeout(descriptor, option: SO_SNDTIMEO, seconds: Self.stallSeconds)
        guard sendFrame(.header, header.payload[...]) else {
            close(descriptor)
            throw LogStreamError(failure.withLock { $0 } ?? "cannot send the log header")
        }
    }

    deinit { close(descriptor) }

    /// Why the stream broke, or nil while the keeper takes everything.
    public var broken: String? { failure.withLock { $0 } }

    /// Passes output on, cut into frames.
    public func send(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count, broken == nil {
            let end = min(bytes.count, offset + LogFrame.maximumPayload)
            guard sendFrame(.data, UnsafeRawBufferPointer(rebasing: bytes[offset..<end])) else { return }
            offset = end
        }
    }

    /// The last word: how the build ended. Then the keeper finishes and commits the log.
    public func end(_ summary: String) {
        _ = sendFrame(.end, Array(summary.utf8.prefix(1000))[...])
        shutdown(descriptor, Int32(SHUT_WR))
    }

    private func sendFrame(_ kind: LogFrameKind, _ payload: some Collection<UInt8>) -> Bool {
        guard broken == nil else { return false }
        let frame = LogFrame.encode(kind, payload)
        var offset = 0
        while offset < frame.count {
            let sent = frame.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent < 0 {
                if errno == EINTR { continue }
                let reason = errno == EAGAIN || errno == EWOULDBLOCK
                    ? "the log keeper took nothing for \(Self.stallSeconds) s"
                    : "the log keeper's socket failed: \(String(cString: strerror(errno)))"
                failure.withLock { $0 = $0 ?? reason }
                return false
            }
            offset += sent
        }
        return true
    }
}
