import CLinuxCalls
import Glibc

/// A child process started by this project: the one spawner (posix_spawn through CLinuxCalls)
/// for stage jobs, backends, diffoscope, rsync listings and notification commands. The child gets
/// stdin from /dev/null (or the descriptor it is given), the standard descriptors it is given,
/// optionally a task's lock as fd 3 and a process group of its own, and nothing else (some
/// libraries here open descriptors without CLOEXEC); it is waited for with a deadline and stopped
/// with its whole group.
public struct Subprocess: Sendable {
    public enum Exit: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    public let pid: pid_t
    /// Whether it leads a process group of its own, which `stop` and `killGroup` then signal whole.
    public let ownGroup: Bool

    /// Starts `program` (a path, or a name searched in PATH when `searchPath`; by default
    /// `arguments[0]`, which is what the program sees as its name).
    public static func start(program: String? = nil, _ arguments: [String], environment: [String], searchPath: Bool = false,
                             directory: Int32 = -1, lock: Int32 = -1, stdin: Int32 = -1, stdout: Int32, stderr: Int32,
                             ownGroup: Bool) throws(SpawnFailure) -> Subprocess {
        var pid: pid_t = 0
        let code = withCStrings(arguments) { argv in
            withCStrings(environment) { envp in
                linux_spawn(program ?? arguments[0], searchPath ? 1 : 0, argv, envp, directory, lock, stdin, stdout, stderr, ownGroup ? 1 : 0, &pid)
            }
        }
        guard code == 0 else { throw SpawnFailure(errno: code, what: "cannot start \(program ?? arguments[0])") }
        return Subprocess(pid: pid, ownGroup: ownGroup)
    }

    /// Waits up to `seconds` (nil: as long as it takes); nil when it is still running then.
    public func wait(seconds: Double?) -> Exit? {
        var status: Int32 = 0
        let limit = seconds.map { Int32(min(max($0, 0) * 1000, Double(Int32.max))) } ?? -1
        switch linux_wait_job(pid, limit, &status) {
        case 1: return status & 0x7F == 0 ? .exited((status >> 8) & 0xFF) : .signalled(status & 0x7F)
        case 0: return nil
        default: return .signalled(SIGKILL)  // reaped elsewhere (SIGCHLD ignored): report it as gone
        }
    }

    /// SIGTERM (to its group when it has one), `grace` seconds, then SIGKILL; waits for it.
    @discardableResult
    public func stop(grace: Double) -> Exit {
        kill(ownGroup ? -pid : pid, SIGTERM)
        if let exit = wait(seconds: grace) { return exit }
        kill(ownGroup ? -pid : pid, SIGKILL)
        return wait(seconds: nil) ?? .signalled(SIGKILL)
    }

    /// SIGKILL to whatever is left of its group after its main process ended: what still runs
    /// there would hold a task's lock and the output pipe.
    public func killGroup() {
        if ownGroup { kill(-pid, SIGKILL) }
    }
}

/// A program that could not be started, with the system's reason.
public struct SpawnFailure: Error, Sendable, CustomStringConvertible {
    public var errno: Int32
    public var what: String

    public init(errno: Int32, what: String) {
        self.errno = errno
        self.what = what
    }

    public var description: String { "\(what): \(String(cString: strerror(errno)))" }
}

/// NULL-terminated C string arrays for the duration of `body`.
private func withCStrings<Result>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Result) -> Result {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
