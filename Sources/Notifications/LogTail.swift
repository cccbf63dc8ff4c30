import UntrustedText

/// The last lines of a build log, as a notification carries them. A log is the build's own
/// output (anything a package's build prints), so each line is escaped for display and cut.
public enum LogTail {
    public static let lineCount = 30
    /// Characters kept of one line.
    public static let lineLimit = 1000
    /// Bytes of the log's end the lines are taken from: enough for `lineCount` lines of ordinary
    /// length. One byte more is read, to tell whether the first of them starts a line.
    public static let bytesKept = 64 << 10
    public static let bytesRead = bytesKept + 1

    /// The last `count` lines of `bytes`, the end of a log (at most `bytesRead` of it): when it
    /// is longer than `bytesKept`, everything up to its first newline is the end of a line the cut
    /// split (or the newline before a whole one), and is left out. None when there is no log.
    public static func lines(of bytes: [UInt8]?, count: Int = lineCount) -> [String] {
        guard var bytes else { return [] }
        if bytes.count > bytesKept { bytes.removeSubrange(...(bytes.firstIndex(of: 0x0A) ?? bytes.count - 1)) }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines.suffix(count).map { line in
            UntrustedText.escaped(String(decoding: line, as: UTF8.self), shown: .visibleUnicode, limit: lineLimit)
        }
    }
}
