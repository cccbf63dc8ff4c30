import Processes
#if canImport(Glibc)
import Glibc
#endif

/// Listing a remote tree over the rsync protocol, as the original PackageRebuilder listed the
/// Qubes OS repositories (`rsync --list-only --recursive --exclude=all-versions URL`).
public enum RsyncListing {
    /// The most listing output read (the whole Qubes mirror lists in a few MB).
    static let maximumOutput = 256 << 20

    /// Lists `url` (an rsync:// URL) recursively, leaving out names matching `excluding` (rsync
    /// exclude patterns). `timeout` bounds the connection, each wait for data, and the whole run:
    /// rsync is killed when it is exceeded.
    ///
    /// rsync runs with `--no-motd` (a daemon's message of the day is not a listing line) and
    /// `--8-bit-output` under LC_ALL=C, so names are printed the same whatever the locale.
    public static func list(_ url: String, excluding: [String] = [], timeout: Double = 300) throws(RsyncError) -> [RsyncEntry] {
        guard url.hasPrefix("rsync://"), !url.utf8.contains(0) else {
            throw RsyncError(url: url, reason: "not an rsync:// URL")
        }
        let seconds = timeout.isFinite ? Int(min(max(timeout, 1), 86_400).rounded(.up)) : 86_400
        let arguments = ["--list-only", "--recursive", "--no-motd", "--8-bit-output",
                         "--contimeout=\(seconds)", "--timeout=\(seconds)"]
            + excluding.map { "--exclude=\($0)" }
            + [url]

        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run("rsync", arguments, environment: environment(), timeout: Double(seconds),
                                          maximumOutput: maximumOutput)
        } catch {
            throw RsyncError(url: url, reason: error.description)
        }
        let said = lastLines(of: result.stderr)
        switch result.termination {
        case .exited(0):
            return try parse(String(decoding: result.stdout, as: UTF8.self), url: url)
        case .exited(let status):
            let meaning = exitMeanings[status].map { " (\($0))" } ?? ""
            throw RsyncError(url: url, reason: "rsync exited with status \(status)\(meaning)" + (said.isEmpty ? "" : ": \(said)"))
        case .signalled(let signal):
            throw RsyncError(url: url, reason: "rsync was killed by signal \(signal)" + (said.isEmpty ? "" : ": \(said)"))
        case .timedOut:
            throw RsyncError(url: url, reason: "rsync did not finish within \(seconds) s and was killed" + (said.isEmpty ? "" : ": \(said)"))
        case .outputTooLarge:
            throw RsyncError(url: url, reason: "listing longer than \(maximumOutput) bytes; rsync was killed")
        case .unknown(let why):
            throw RsyncError(url: url, reason: "cannot tell how rsync ended (\(why))")
        }
    }

    /// Parses the output of `rsync --list-only`: one entry per line, the listed directory itself
    /// (".") left out. A line that does not parse is an error naming the line, not skipped: a
    /// listing half understood would silently miss builds.
    public static func parse(_ output: String, url: String) throws(RsyncError) -> [RsyncEntry] {
        try RsyncListingParser(url: url).parse(output)
    }

    /// This process's environment with LC_ALL=C.
    private static func environment() -> [String] {
        var variables: [String] = []
        var cursor = environ
        while let entry = cursor.pointee {
            let variable = String(cString: entry)
            if !variable.hasPrefix("LC_ALL=") { variables.append(variable) }
            cursor += 1
        }
        return variables + ["LC_ALL=C"]
    }

    /// rsync's last few lines on stderr, joined on one line: its error and its summary.
    private static func lastLines(of stderr: [UInt8]) -> String {
        String(decoding: stderr, as: UTF8.self)
            .split(separator: "\n")
            .map { $0.trimmingCharacters() }
            .filter { !$0.isEmpty }
            .suffix(4)
            .joined(separator: "; ")
    }

    /// From rsync(1), EXIT VALUES.
    private static let exitMeanings: [Int32: String] = [
        1: "syntax or usage error",
        2: "protocol incompatibility",
        3: "errors selecting input/output files, dirs",
        5: "error starting client-server protocol",
        10: "error in socket I/O",
        12: "error in rsync protocol data stream",
        23: "partial transfer due to error",
        24: "partial transfer due to vanished source files",
        30: "timeout in data send/receive",
        35: "timeout waiting for daemon connection",
    ]
}

private extension Substring {
    func trimmingCharacters() -> String {
        String(drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
    }
}
