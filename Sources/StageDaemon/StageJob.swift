/// What a stage does with a task it holds.
public enum StageJob: Sendable {
    /// Runs `arguments` + [task path, work directory]. Exit 0: done; 75 (EX_TEMPFAIL): retry later;
    /// killed or timed out: retry later; any other status: the task failed for good.
    case command(arguments: [String], timeoutSeconds: Double?)
    /// Hands every task on untouched: for benchmarks and for draining a stage by hand.
    case passThrough
}

/// How a job ended, in the terms the spool acts on.
public enum JobVerdict: Sendable, Equatable {
    case done
    case retry(reason: String)
    case failed(reason: String)
}
