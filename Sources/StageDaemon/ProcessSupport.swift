import Spool
import Glibc

func systemError(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(decoding: UnsafeRawBufferPointer(start: text, count: strlen(text)), as: UTF8.self)
}

public enum ProcessEnvironment {
    /// This process's environment as `NAME=value` strings.
    public static var current: [String] {
        var result: [String] = []
        var cursor = environ
        while let entry = cursor.pointee {
            result.append(String(decoding: UnsafeRawBufferPointer(start: entry, count: strlen(entry)), as: UTF8.self))
            cursor += 1
        }
        return result
    }

    public static func value(_ name: String) -> String? {
        getenv(name).map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) }
    }

    /// What a daemon's children inherit: this process's environment, less what belongs to the
    /// daemon (systemd's notification socket and watchdog) and earlier task variables.
    public static var inherited: [String] {
        current.filter { !$0.hasPrefix("REBUILDER_") && !$0.hasPrefix("NOTIFY_SOCKET=") && !$0.hasPrefix("WATCHDOG_") }
    }

    /// The environment a stage job starts with: the inherited one plus the task's.
    public static func forJob(stage: Stage, task: ClaimedTask) -> [String] {
        inherited + ["REBUILDER_STAGE=\(stage)", "REBUILDER_TASK_ID=\(task.id)", "REBUILDER_SPOOL=\(task.spool.root)",
                     "REBUILDER_ATTEMPT=\(task.entry.failedAttempts + 1)", "REBUILDER_LOCK_FD=3"]
    }
}
