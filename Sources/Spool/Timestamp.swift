import Glibc

/// Times as the spool writes them: UTC ISO 8601 with microseconds, sortable as text.
public enum Timestamp {
    public static func format(_ seconds: Double) -> String {
        let totalMicros = Int64((seconds * 1e6).rounded())
        return formatSeconds(time_t(totalMicros / 1_000_000)) + "." + String(totalMicros % 1_000_000).leftPadded(to: 6) + "Z"
    }

    /// "2024-05-01T12:00:00Z": whole seconds (rounded down), for pages and exports.
    public static func formatWholeSeconds(_ seconds: Double) -> String {
        formatSeconds(time_t(seconds.rounded(.down))) + "Z"
    }

    private static func formatSeconds(_ seconds: time_t) -> String {
        var whole = seconds
        var parts = tm()
        gmtime_r(&whole, &parts)
        func two(_ value: Int32) -> String { String(value).leftPadded(to: 2) }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }

    /// A file's mtime in seconds (following links), or nil when it cannot be read. Spool files
    /// carry times in their mtime: when a task is due, when a list was written.
    public static func modificationTime(of path: String) -> Double? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.modificationSeconds
    }

    /// Parses what `format` writes; nil for anything else.
    public static func parse(_ text: some StringProtocol) -> Double? {
        let bytes = Array(text.utf8)
        guard bytes.count == 27, bytes[4] == 0x2D, bytes[10] == 0x54, bytes[19] == 0x2E, bytes[26] == 0x5A else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: bytes[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              let micros = number(20..<26) else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900); parts.tm_mon = Int32(month - 1); parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour); parts.tm_min = Int32(minute); parts.tm_sec = Int32(second)
        return Double(timegm(&parts)) + Double(micros) / 1e6
    }

    public static func now() -> Double { currentTime() }
}

/// Who is acting: written into holder records and history lines so that a mirror of the spool
/// on another machine still tells which host and process did what.
public struct Actor: Sendable, CustomStringConvertible {
    public let host: String
    public let pid: Int32

    public static let current = Actor(host: hostName(), pid: getpid())

    public var description: String { "\(host):\(pid)" }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown-host" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
