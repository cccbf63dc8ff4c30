import Foundation
import Spool
import Glibc
import Synchronization

struct DaemonError: Error, CustomStringConvertible {
    var description: String
}

/// One `rebuilder stage NAME` process started by the bench, its stderr collected. Every one is
/// registered in `runningDaemons` so that an error or an interrupt still stops it.
final class DaemonProcess: Sendable {
    let stage: Stage
    let pid: Int32
    /// Wall-clock time just before the process was started.
    let startedAt: Double
    let log: StderrLog
    private let process: Process

    private init(stage: Stage, process: Process, startedAt: Double, log: StderrLog) {
        self.stage = stage
        self.process = process
        self.pid = process.processIdentifier
        self.startedAt = startedAt
        self.log = log
    }

    /// Starts `executable arguments…` with stdin and stdout on /dev/null and stderr read by the bench.
    static func start(stage: Stage, executable: String, arguments: [String]) throws -> DaemonProcess {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw DaemonError(description: "pipe: \(String(cString: strerror(errno)))") }
        // Only the child's copy of the write end (its fd 2) may outlive exec, or stderr never ends.
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(fileDescriptor: ends[1], closeOnDealloc: false)
        let startedAt = Clock.wall()
        do {
            try process.run()
        } catch {
            close(ends[0])
            close(ends[1])
            throw DaemonError(description: "cannot start \(executable): \(error)")
        }
        close(ends[1])
        let daemon = DaemonProcess(stage: stage, process: process, startedAt: startedAt,
                                   log: StderrLog(descriptor: ends[0], readyMarker: "stage \(stage) ready"))
        runningDaemons.add(daemon)
        return daemon
    }

    var isRunning: Bool { process.isRunning }

    /// How the process ended ("exit 0", "signal 9"); nil while it runs.
    var termination: String? {
        guard !process.isRunning else { return nil }
        return "\(process.terminationReason == .exit ? "exit" : "signal") \(process.terminationStatus)"
    }

    /// Waits for the daemon's ready line; throws, with its last words, if it exits or takes too long.
    func waitUntilReady(timeout: Double = 30) throws {
        let deadline = Clock.monotonic() + timeout
        while log.readyAt == nil {
            if !process.isRunning {
                Clock.sleep(0.05)
                throw DaemonError(description: "stage \(stage) (pid \(pid)) exited before it was ready:\n  "
                                  + log.lastLines.joined(separator: "\n  "))
            }
            if Clock.monotonic() > deadline {
                throw DaemonError(description: "stage \(stage) (pid \(pid)) not ready after \(Int(timeout)) s:\n  "
                                  + log.lastLines.joined(separator: "\n  "))
            }
            Clock.sleep(0.001)
        }
    }

    /// SIGTERM, then SIGKILL after `timeout`; returns the seconds it took to exit. Any thread may
    /// call it, several at once: each returns only once the process has exited.
    @discardableResult
    func stop(timeout: Double = 10) -> Double {
        let began = Clock.monotonic()
        defer { runningDaemons.remove(self) }
        guard process.isRunning else { return 0 }
        kill(pid, SIGTERM)
        let deadline = began + timeout
        while process.isRunning && Clock.monotonic() < deadline { Clock.sleep(0.002) }
        if process.isRunning {
            Progress.note("stage \(stage) (pid \(pid)) still running \(Int(timeout)) s after SIGTERM: SIGKILL")
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
        return Clock.monotonic() - began
    }
}

extension DaemonProcess {
    /// Throws, with its last words, if any of `daemons` has exited.
    static func checkAlive(_ daemons: [DaemonProcess]) throws {
        for daemon in daemons where !daemon.isRunning {
            throw DaemonError(description: "stage \(daemon.stage) (pid \(daemon.pid)) exited:\n  "
                              + daemon.log.lastLines.joined(separator: "\n  "))
        }
    }
}

/// Every daemon the bench started and has not stopped yet.
final class DaemonRegistry: Sendable {
    private let daemons = Mutex<[DaemonProcess]>([])

    func add(_ daemon: DaemonProcess) { daemons.withLock { $0.append(daemon) } }
    func remove(_ daemon: DaemonProcess) { daemons.withLock { $0.removeAll { $0 === daemon } } }

    func stopAll() {
        let all = daemons.withLock { $0 }
        for daemon in all { daemon.stop(timeout: 5) }
    }
}

let runningDaemons = DaemonRegistry()
