/// `[spool]`: where the task spool lives and how tasks are retried and noticed.
public struct SpoolSettings: Sendable, Equatable {
    /// key: root — the directory holding every stage's spool directories.
    public var root: String = "/var/spool/rebuilder"
    /// key: max-attempts (1...1000) — attempts before a task that keeps asking for a retry fails for good.
    public var maxAttempts: Int = 5
    /// key: backoff — delay before the first retry; it doubles with each further attempt.
    public var backoffSeconds: Double = 60
    /// key: max-backoff — the doubling stops here.
    public var maxBackoffSeconds: Double = 3600
    /// key: rescan-period (> 0) — full rescans of the inbox, in case a notification was missed.
    public var rescanSeconds: Double = 30
    /// key: watch — false means the inbox is noticed by rescans only (e.g. on filesystems without inotify).
    public var watch: Bool = true
    /// key: settle — a file written in place into new/ is taken only after staying unchanged this
    /// long, where we cannot tell whether a writer still has it open.
    public var settleSeconds: Double = 2
    /// key: max-task-size (suffixes K, M, G) — larger task files are refused rather than read.
    public var maxTaskBytes: Int = 33_554_432
    /// key: fsync — false trades crash safety for speed (tests, throwaway spools).
    public var fsync: Bool = true

    public init() {}
}

extension SpoolSettings {
    /// Starts from the defaults and applies the keys the section sets.
    init(section: IniSection, path: String) throws {
        self.init()
        var lineOf: [String: Int] = [:]
        for entry in section.entries {
            let value = SettingValue(entry: entry, section: section.name, path: path)
            lineOf[entry.key] = entry.line
            switch entry.key {
            case "root": root = try value.absolutePath()
            case "max-attempts": maxAttempts = try value.wholeNumber(in: 1...1000)
            case "backoff": backoffSeconds = try value.seconds(allowingZero: true)
            case "max-backoff": maxBackoffSeconds = try value.seconds(allowingZero: true)
            case "rescan-period": rescanSeconds = try value.seconds(allowingZero: false)
            case "watch": watch = try value.boolean()
            case "settle": settleSeconds = try value.seconds(allowingZero: true)
            case "max-task-size": maxTaskBytes = try value.byteSize()
            case "fsync": fsync = try value.boolean()
            default:
                throw KnownKeys.unknownKeyError(entry, section: section.name, known: KnownKeys.spool, path: path)
            }
        }
        // A ceiling below the first delay would make "doubling" shrink the delay.
        if maxBackoffSeconds < backoffSeconds {
            throw ConfigurationError(
                path: path, line: lineOf["max-backoff"] ?? lineOf["backoff"] ?? section.line,
                message: "'max-backoff' (\(maxBackoffSeconds.formattedSeconds)) must not be less than "
                    + "'backoff' (\(backoffSeconds.formattedSeconds)) in [\(section.name)]")
        }
    }
}

extension Double {
    /// `60` rather than `60.0`, as an operator would write it.
    var formattedSeconds: String {
        rounded() == self && abs(self) < 1e15 ? String(Int(self)) : String(self)
    }
}
