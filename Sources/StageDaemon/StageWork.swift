import Glibc
import Spool

/// What a stage does with a task it holds. Implementations run on worker threads and may block.
public protocol StageWork: Sendable {
    func perform(_ task: ClaimedTask) -> JobVerdict
}

/// How a job ended, in the terms the spool acts on.
public enum JobVerdict: Sendable, Equatable, CustomStringConvertible {
    case done
    /// Try again later; `limit` overrides the spool's max-attempts for this kind of trouble.
    case retry(reason: String, limit: Int? = nil)
    case failed(reason: String)
    /// Not yet, through no fault of the task (its source is held): back to the inbox without
    /// counting an attempt, looked at again after the rescan period.
    case postponed(reason: String)

    public var description: String {
        switch self {
        case .done: return "done"
        case .retry(let reason, _): return "retry: \(reason)"
        case .postponed(let reason): return "postponed: \(reason)"
        case .failed(let reason): return "failed: \(reason)"
        }
    }
}

/// Hands every task on untouched: for benchmarks and for draining a stage by hand.
public struct PassThroughWork: StageWork {
    public init() {}
    public func perform(_ task: ClaimedTask) -> JobVerdict { .done }
}

/// Runs a configured command with the task file and a work directory (`records/<ID>/<stage>/`) as
/// its last two arguments. Exit 0: done; 75 (EX_TEMPFAIL), a signal or the timeout: retry later;
/// any other status: the task failed for good, with the command's last line as the reason.
public struct CommandWork: StageWork {
    public var stage: Stage
    public var arguments: [String]
    public var timeoutSeconds: Double?
    public var logLimitBytes: Int

    public init(stage: Stage, arguments: [String], timeoutSeconds: Double?, logLimitBytes: Int) {
        self.stage = stage
        self.arguments = arguments
        self.timeoutSeconds = timeoutSeconds
        self.logLimitBytes = logLimitBytes
    }

    public func perform(_ task: ClaimedTask) -> JobVerdict {
        let files: JobFiles
        do {
            files = try JobFiles(task.records, directory: stage.recordsDirectory, log: stage.logName)
        } catch {
            return .retry(reason: "cannot prepare the work directory: \(error)")
        }
        let job = JobProcess(arguments: arguments + [task.path, task.records.path(stage.recordsDirectory)],
                             environment: ProcessEnvironment.forJob(stage: stage, task: task),
                             files: files, timeoutSeconds: timeoutSeconds, logLimitBytes: logLimitBytes)
        let outcome = job.run(holding: task)
        return CommandWork.verdict(outcome, timeoutSeconds: timeoutSeconds)
    }

    static func verdict(_ outcome: JobProcess.Outcome, timeoutSeconds: Double?) -> JobVerdict {
        let tail = outcome.lastLine.map { ": \($0)" } ?? ""
        switch outcome.exit {
        case .couldNotStart(let why): return .retry(reason: why)
        case .timedOut: return .retry(reason: "timed out after \(timeoutSeconds ?? 0) s\(tail)")
        case .signalled(let signal): return .retry(reason: "killed by signal \(signal)\(tail)")
        case .exited(0): return .done
        case .exited(75): return .retry(reason: "the command asked to retry later (exit 75)\(tail)")
        case .exited(let code): return .failed(reason: "the command exited with status \(code)\(tail)")
        }
    }
}
