/// The stream a sender (the build stage) writes to the log keeper over a Unix socket: frames of
/// one kind byte, a 4-byte big-endian length and that many bytes. The build's own output travels
/// only inside data frames, so nothing it prints can pass for a header or for the end of the log:
/// a stream that stops without an end frame is a sender that went away.
public enum LogFrameKind: UInt8, Sendable {
    /// `LogStreamHeader`: the first frame, and only the first.
    case header = 0x48
    /// Bytes of the build's output, cut anywhere.
    case data = 0x44
    /// The sender's last word (how the build ended); the log is complete.
    case end = 0x45
}

public enum LogFrame {
    /// Bytes a frame may carry; the sender cuts its output to fit.
    public static let maximumPayload = 1 << 16
    public static let headerSize = 5

    public static func encode(_ kind: LogFrameKind, _ payload: some Collection<UInt8>) -> [UInt8] {
        let length = UInt32(payload.count)
        return [kind.rawValue, UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
            + payload
    }

    /// The kind and payload length a frame header announces, or why it is not a frame.
    static func decodeHeader(_ bytes: some Collection<UInt8>) -> Result<(LogFrameKind, Int), LogStreamError> {
        let bytes = Array(bytes)
        guard let kind = LogFrameKind(rawValue: bytes[0]) else {
            return .failure(LogStreamError("unknown frame kind \(bytes[0])"))
        }
        let length = Int(bytes[1]) << 24 | Int(bytes[2]) << 16 | Int(bytes[3]) << 8 | Int(bytes[4])
        guard length <= maximumPayload else {
            return .failure(LogStreamError("frame of \(length) bytes, over the limit of \(maximumPayload)"))
        }
        return .success((kind, length))
    }
}

/// What went wrong with a log stream, said in words for the log and the keeper's journal.
public struct LogStreamError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
