/// What one sandboxed build may use. Time is the build stage's own `timeout`.
public struct SandboxLimits: Sendable, Equatable {
    /// Size of the tmpfs holding the whole build tree (environment, source, output).
    public var diskBytes: Int
    /// Address space of each build process (RLIMIT_AS).
    public var memoryBytes: Int
    /// Processes of the build user (RLIMIT_NPROC).
    public var processes: Int

    public init(diskBytes: Int = 16 << 30, memoryBytes: Int = 16 << 30, processes: Int = 4096) {
        self.diskBytes = diskBytes
        self.memoryBytes = memoryBytes
        self.processes = processes
    }
}
