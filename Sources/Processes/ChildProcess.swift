#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion with stdout and stderr captured, killing it at a deadline.
///
/// Started by the project's one spawner (`Subprocess`, as stage jobs are) rather than
/// Foundation's Process: both pipes are drained together with
/// poll() (no deadlock when one fills), the child gets no descriptor but its three standard ones.
public struct ChildProcess {
    public enum Termination: Equatable {
        case exited(Int32)
        case signalled(Int32)
        /// Killed here at the deadline.
        case timedOut
        /// Killed here because stdout exceeded its limit.
        case outputTooLarge
        /// poll() or waitpid() failed (e.g. SIGCHLD ignored, so the child was reaped elsewhere).
        case unknown(String)
    }

    public struct Result {
        public var termination: Termination
        public var stdout: [UInt8]
        /// The end of stderr (its last `stderrKept` bytes): where programs say what went wrong.
        public var stderr: [UInt8]
    }

    public static let stderrKept = 64 << 10

    /// Throws a sentence when the program cannot be started. `stdin`: a descriptor the program
    /// reads as its standard input (-1: /dev/null); the caller keeps and closes it.
    public static func run(_ program: String, _ arguments: [String], environment: [String], timeout: Double,
                    maximumOutput: Int, stdin: Int32 = -1) throws(SpawnFailure) -> Result {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int64(min(max(timeout, 0), 1e9) * 1000))

        // Socket pairs rather than pipes: created close-on-exec atomically (pipe2 is not
        // imported), so a program another thread starts meanwhile cannot inherit a write end and
        // hold off the end of the output.
        var stdoutPipe: [Int32] = [-1, -1]
        var stderrPipe: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &stdoutPipe) == 0 else { throw SpawnFailure(errno: errno, what: "socketpair") }
        guard socketpair(AF_UNIX, type, 0, &stderrPipe) == 0 else {
            let code = errno
            close(stdoutPipe[0]); close(stdoutPipe[1])
            throw SpawnFailure(errno: code, what: "socketpair")
        }

        let child: Subprocess
        do {
            child = try Subprocess.start([program] + arguments, environment: environment, searchPath: true,
                                         stdin: stdin, stdout: stdoutPipe[1], stderr: stderrPipe[1], ownGroup: false)
        } catch {
            close(stdoutPipe[0]); close(stdoutPipe[1]); close(stderrPipe[0]); close(stderrPipe[1])
            throw SpawnFailure(errno: error.errno, what: "cannot run \(program)")
        }
        close(stdoutPipe[1])
        close(stderrPipe[1])

        var result = Result(termination: .exited(0), stdout: [], stderr: [])
        if let early = drain(stdout: stdoutPipe[0], stderr: stderrPipe[0], into: &result, until: deadline,
                             clock: clock, maximumOutput: maximumOutput) {
            child.stop(grace: 0)
            result.termination = early
        } else if let exit = child.wait(seconds: Double(milliseconds(until: deadline, clock: clock)) / 1000) {
            switch exit {
            case .exited(let code): result.termination = .exited(code)
            case .signalled(let signal): result.termination = .signalled(signal)
            }
        } else {
            child.stop(grace: 0)
            result.termination = .timedOut
        }
        return result
    }

    /// Reads both pipes until both close (nil), or stops early and says why (the child is then killed).
    private static func drain(stdout: Int32, stderr: Int32, into result: inout Result, until deadline: ContinuousClock.Instant,
                              clock: ContinuousClock, maximumOutput: Int) -> Termination? {
        var descriptors = [pollfd(fd: stdout, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: stderr, events: Int16(POLLIN), revents: 0)]
        defer { descriptors.filter { $0.fd >= 0 }.forEach { close($0.fd) } }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while descriptors.contains(where: { $0.fd >= 0 }) {
            let remaining = milliseconds(until: deadline, clock: clock)
            guard remaining > 0 else { return .timedOut }
            let ready = poll(&descriptors, nfds_t(descriptors.count), remaining)
            if ready < 0 && errno != EINTR { return .unknown("poll: \(String(cString: strerror(errno)))") }
            guard ready > 0 else { continue }
            for index in descriptors.indices where descriptors[index].fd >= 0 && descriptors[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(descriptors[index].fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    if index == 0 {
                        result.stdout.append(contentsOf: buffer[0..<count])
                        if result.stdout.count > maximumOutput { return .outputTooLarge }
                    } else {
                        result.stderr.append(contentsOf: buffer[0..<count])
                        if result.stderr.count > 2 * stderrKept { result.stderr.removeFirst(result.stderr.count - stderrKept) }
                    }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(descriptors[index].fd)
                    descriptors[index].fd = -1   // poll skips negative descriptors
                }
            }
        }
        if result.stderr.count > stderrKept { result.stderr.removeFirst(result.stderr.count - stderrKept) }
        return nil
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant, clock: ContinuousClock) -> Int32 {
        let remaining = clock.now.duration(to: deadline)
        guard remaining > .zero else { return 0 }
        let (seconds, attoseconds) = remaining.components
        let total = seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1
        return Int32(min(total, Int64(Int32.max)))
    }
}
