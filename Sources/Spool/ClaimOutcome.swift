/// What became of one attempt to claim an inbox entry.
public enum ClaimOutcome: Sendable {
    case claimed(ClaimedTask)
    /// Waiting for its next attempt; the file's mtime is the time it is due.
    case notDue(until: Double)
    /// Still being written by someone outside the spool; look again at the given time.
    case incomplete(retryAt: Double)
    /// Another process holds it.
    case busy
    /// Gone before it could be taken (another process took it first).
    case gone
    /// A dot file: bookkeeping or a copy in progress.
    case ignored
    /// Not a task: moved to failed/ under a generated name.
    case quarantined(name: String, reason: String)
    /// Over its attempt limit (its earlier holders died): moved to failed/.
    case failed(TaskID, reason: String)
}

/// How a stage decides that an inbox entry is a complete, acceptable task.
public struct ClaimLimits: Sendable {
    public var maxTaskBytes: Int
    /// Where open-for-writing cannot be detected (NFS, files of another owner), a file written in
    /// place is taken only once its mtime is this old.
    public var settleSeconds: Double

    public init(maxTaskBytes: Int = 32 << 20, settleSeconds: Double = 2) {
        self.maxTaskBytes = maxTaskBytes
        self.settleSeconds = settleSeconds
    }
}
