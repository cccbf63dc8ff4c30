import CLinuxCalls
import Glibc
import Spool

/// Runs a stage's command for one task: `records/<ID>/<stage>/` is its work directory and
/// `records/<ID>/<stage>.log` collects its output across attempts.
struct JobRunner: Sendable {
    let stage: String
    /// Time a job gets between SIGTERM and SIGKILL when it overruns.
    var terminationGrace: Double = 10

    func run(_ job: StageJob, for task: ClaimedTask) -> JobVerdict {
        guard case .command(let arguments, let timeout) = job else { return .done }
        let spool = task.spool
        let workDirectory = spool.recordPath(task.id, stage)
        let logPath = spool.recordPath(task.id, "\(stage).log")
        if mkdir(workDirectory, 0o755) != 0 && errno != EEXIST {
            return .retry(reason: "cannot create work directory \(workDirectory): \(systemError(errno))")
        }
        let logFD = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard logFD >= 0 else { return .retry(reason: "cannot open log \(logPath): \(systemError(errno))") }
        defer { close(logFD) }
        writeLine(logFD, "=== \(stage) attempt \(task.entry.failedAttempts + 1) of \(task.entry.fileName) started \(Timestamp.format(Timestamp.now())) by \(Actor.current)")

        guard let executable = resolveExecutable(arguments[0]) else {
            return .retry(reason: "command not found: \(arguments[0])")
        }
        let argv = arguments + [task.path, workDirectory]
        var environment = ProcessEnvironment.current.filter { !$0.hasPrefix("REBUILDER_") && !$0.hasPrefix("NOTIFY_SOCKET=") && !$0.hasPrefix("WATCHDOG_") }
        environment += ["REBUILDER_STAGE=\(stage)", "REBUILDER_TASK_ID=\(task.id)", "REBUILDER_SPOOL=\(spool.root)",
                        "REBUILDER_ATTEMPT=\(task.entry.failedAttempts + 1)", "REBUILDER_LOCK_FD=3"]

        var pid: pid_t = 0
        let spawnError = withCStrings(argv) { cArgv in
            withCStrings(environment) { cEnvironment in
                linux_spawn_job(executable, cArgv, cEnvironment, workDirectory, task.descriptor, logFD, &pid)
            }
        }
        guard spawnError == 0 else { return .retry(reason: "cannot start \(executable): \(systemError(spawnError))") }

        var status: Int32 = 0
        var timedOut = false
        let limit = timeout.map { Int32(min($0 * 1000, Double(Int32.max))) } ?? -1
        if linux_wait_job(pid, limit, &status) == 0 {
            timedOut = true
            kill(-pid, SIGTERM)
            if linux_wait_job(pid, Int32(terminationGrace * 1000), &status) == 0 {
                kill(-pid, SIGKILL)
                _ = linux_wait_job(pid, -1, &status)
            }
        }
        // Whatever the job left running in its group still holds the task's lock: end it.
        kill(-pid, SIGKILL)

        let verdict = JobRunner.verdict(status: status, timedOut: timedOut, timeout: timeout, lastLine: lastLine(of: logPath))
        writeLine(logFD, "=== \(stage) attempt ended \(Timestamp.format(Timestamp.now())): \(verdict)")
        return verdict
    }

    static func verdict(status: Int32, timedOut: Bool, timeout: Double?, lastLine: String?) -> JobVerdict {
        let tail = lastLine.map { ": \($0)" } ?? ""
        if timedOut { return .retry(reason: "timed out after \(timeout ?? 0) s\(tail)") }
        let signal = status & 0x7F
        if signal != 0 { return .retry(reason: "killed by signal \(signal)\(tail)") }
        switch (status >> 8) & 0xFF {
        case 0: return .done
        case 75: return .retry(reason: "the command asked to retry later (exit 75)\(tail)")
        case let code: return .failed(reason: "the command exited with status \(code)\(tail)")
        }
    }

    private func resolveExecutable(_ command: String) -> String? {
        if command.contains("/") { return access(command, X_OK) == 0 ? command : nil }
        let searchPath = ProcessEnvironment.value("PATH") ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") {
            let candidate = "\(directory)/\(command)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    private func writeLine(_ fd: Int32, _ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// The last non-empty line the job printed (at most 300 characters), for the reason.
    private func lastLine(of path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let size = lseek(fd, 0, SEEK_END)
        let start = max(0, size - 4096)
        var buffer = [UInt8](repeating: 0, count: Int(size - start))
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, start) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer.prefix(count), as: UTF8.self)
        let line = text.split(separator: "\n").last { !$0.hasPrefix("=== ") && !$0.allSatisfy(\.isWhitespace) }
        return line.map { String($0.prefix(300)) }
    }
}

func systemError(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(decoding: UnsafeRawBufferPointer(start: text, count: strlen(text)), as: UTF8.self)
}

/// Calls `body` with a NULL-terminated C array of the strings.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

enum ProcessEnvironment {
    static var current: [String] {
        var result: [String] = []
        var cursor = environ
        while let entry = cursor.pointee {
            result.append(String(decoding: UnsafeRawBufferPointer(start: entry, count: strlen(entry)), as: UTF8.self))
            cursor += 1
        }
        return result
    }

    static func value(_ name: String) -> String? {
        getenv(name).map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) }
    }
}
