import Sandbox

/// How the build stage runs the `snapshot` backend.
public struct SnapshotOptions: Sendable, Equatable {
    /// The snapshot service of tasks without a distribution of their own (the `snapshot` key of [common]).
    public var service: String
    /// A distribution's own `snapshot` key, by the task's `distribution` label.
    public var services: [String: String]
    /// Apt repository lines (`deb [signed-by=KEYRING] URL SUITE COMPONENT...`) for packages the
    /// snapshot lacks, by the task's `distribution` label; "" for tasks of no distribution section.
    public var repositories: [String: [String]]
    /// The host's cache directory (on a remote build host: that host's).
    public var cache: String
    public var cacheBytes: Int
    public var suite: String
    public var limits: SandboxLimits

    public init(service: String, services: [String: String] = [:], repositories: [String: [String]] = [:], cache: String, cacheBytes: Int, suite: String = "bookworm",
                limits: SandboxLimits = SandboxLimits()) {
        self.service = service
        self.services = services
        self.repositories = repositories
        self.cache = cache
        self.cacheBytes = cacheBytes
        self.suite = suite
        self.limits = limits
    }

    /// The arguments of `rebuilder backend snapshot` after the subcommand.
    func arguments(distribution: String?) -> [String] {
        ["--snapshot", distribution.flatMap { services[$0] } ?? service, "--cache", cache, "--cache-size", String(cacheBytes),
         "--suite", suite, "--disk", String(limits.diskBytes), "--memory", String(limits.memoryBytes),
         "--processes", String(limits.processes)]
            + (repositories[distribution ?? ""] ?? repositories[""] ?? []).flatMap { ["--extra-repository", $0] }
    }
}
