import Processes
import Foundation
import Spool
import Synchronization

/// One run of an external program for a task: in its own process group, with the task's locked
/// descriptor as fd 3, its output captured into a log file up to a limit, and a time limit after
/// which the whole group gets SIGTERM and, after a grace period, SIGKILL.
public struct JobProcess: Sendable {
    public var arguments: [String]
    public var environment: [String]
    public var files: JobFiles
    public var timeoutSeconds: Double?
    public var logLimitBytes: Int
    public var terminationGrace: Double = 10
    /// Also gets every byte of the output as it comes, past the log limit too (the log keeper).
    public var mirror: (any OutputMirror)?

    public init(arguments: [String], environment: [String] = [], files: JobFiles, timeoutSeconds: Double?, logLimitBytes: Int,
                mirror: (any OutputMirror)? = nil) {
        self.arguments = arguments
        self.environment = environment
        self.files = files
        self.timeoutSeconds = timeoutSeconds
        self.logLimitBytes = logLimitBytes
        self.mirror = mirror
    }

    public enum Exit: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
        case couldNotStart(String)
    }

    public struct Outcome: Sendable {
        public var exit: Exit
        public var logTruncated: Bool
        public var duration: Double
        /// The last line the program printed (at most 300 characters), for a reason.
        public var lastLine: String?

        public init(exit: Exit, logTruncated: Bool, duration: Double, lastLine: String? = nil) {
            self.exit = exit
            self.logTruncated = logTruncated
            self.duration = duration
            self.lastLine = lastLine
        }
    }

    /// Runs the program to its end with the task's lock as its fd 3, so the task stays locked
    /// for as long as any of the job's processes live.
    public func run(holding task: ClaimedTask) -> Outcome { run(lockDescriptor: task.descriptor) }

    func run(lockDescriptor: Int32) -> Outcome {
        let started = Timestamp.now()
        func outcome(_ exit: Exit, _ log: LogCapture? = nil) -> Outcome {
            Outcome(exit: exit, logTruncated: log?.truncated ?? false, duration: Timestamp.now() - started, lastLine: log?.lastLine)
        }
        guard let executable = JobProcess.resolveExecutable(arguments[0]) else {
            return outcome(.couldNotStart("command not found: \(arguments[0])"))
        }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return outcome(.couldNotStart("pipe: \(systemError(errno))")) }
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        guard let log = LogCapture(logDescriptor: files.log, limit: logLimitBytes, readEnd: pipeEnds[0], mirror: mirror) else {
            close(pipeEnds[0]); close(pipeEnds[1])
            return outcome(.couldNotStart("cannot use the log: \(systemError(errno))"))
        }
        let child: Subprocess
        do {
            child = try Subprocess.start(program: executable, arguments, environment: environment, directory: files.directory,
                                         lock: lockDescriptor, stdout: pipeEnds[1], stderr: pipeEnds[1], ownGroup: true)
        } catch {
            close(pipeEnds[1])
            log.finish()
            return outcome(.couldNotStart("\(error)"), log)
        }
        close(pipeEnds[1])
        log.start()

        let exit: Exit
        switch child.wait(seconds: timeoutSeconds) {
        case .exited(let code)?: exit = .exited(code)
        case .signalled(let signal)?: exit = .signalled(signal)
        case nil:
            exit = .timedOut
            child.stop(grace: terminationGrace)
        }
        // Whatever the job left running in its group still holds the task's lock and the log pipe.
        child.killGroup()
        log.finish()
        return outcome(exit, log)
    }

    public static func resolveExecutable(_ command: String) -> String? {
        if command.contains("/") { return access(command, X_OK) == 0 ? command : nil }
        let searchPath = ProcessEnvironment.value("PATH") ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") {
            let candidate = "\(directory)/\(command)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}

/// Where a job's output goes besides its log file, as it comes.
public protocol OutputMirror: Sendable {
    func send(_ bytes: UnsafeRawBufferPointer)
}

/// Copies a job's output from a pipe into its log file as it comes, up to a limit; past it, the
/// rest is read and dropped (so the job never blocks on a full pipe) and the log says so. A mirror
/// gets it all.
final class LogCapture: @unchecked Sendable {
    private let mirror: (any OutputMirror)?
    private let readEnd: Int32
    private let logFD: Int32
    private let limit: Int
    private let done = DispatchSemaphore(value: 0)
    private var written = 0
    private var tail: [UInt8] = []
    private(set) var truncated = false
    private var started = false
    private let giveUp = Atomic<Bool>(false)

    /// `logDescriptor` stays the caller's: the capture writes to its own duplicate.
    init?(logDescriptor: Int32, limit: Int, readEnd: Int32, mirror: (any OutputMirror)?) {
        let fd = fcntl(logDescriptor, F_DUPFD_CLOEXEC, 0)
        guard fd >= 0 else { return nil }
        self.mirror = mirror
        self.logFD = fd
        self.readEnd = readEnd
        self.limit = limit
    }

    func start() {
        started = true
        let thread = Thread { [self] in
            copy()
            done.signal()
        }
        thread.name = "job-log"
        thread.start()
    }

    /// Waits for the copy to reach the end of the output (a few seconds at most after the job's
    /// group was killed), then closes everything.
    func finish() {
        if started {
            if done.wait(timeout: .now() + 5) == .timedOut {
                // Something outside the job's process group still holds the pipe: stop reading
                // once it goes quiet.
                giveUp.store(true, ordering: .relaxed)
                done.wait()
            }
        }
        close(readEnd)
        close(logFD)
    }

    var lastLine: String? {
        let text = String(decoding: tail, as: UTF8.self)
        let line = text.split(separator: "\n").last { !$0.allSatisfy(\.isWhitespace) }
        return line.map { String($0.prefix(300)) }
    }

    private func copy() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            var ready = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            let polled = poll(&ready, 1, 200)
            if polled == 0 {
                if giveUp.load(ordering: .relaxed) { break }
                continue
            }
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            let chunk = buffer[0..<count]
            if let mirror { buffer.withUnsafeBytes { mirror.send(UnsafeRawBufferPointer(rebasing: $0[0..<count])) } }
            tail = Array((tail + chunk).suffix(4096))
            let room = max(0, limit - written)
            if room > 0 {
                let kept = chunk.prefix(room)
                _ = kept.withUnsafeBytes { write(logFD, $0.baseAddress, $0.count) }
                written += kept.count
            }
            if count > room && !truncated {
                truncated = true
                let mark = Array("\n=== log truncated here: over \(limit) bytes; the rest was dropped\n".utf8)
                _ = mark.withUnsafeBytes { write(logFD, $0.baseAddress, $0.count) }
            }
        }
        if truncated { tail += Array("\n".utf8) }
    }
}
