/// One task of one project as the collector found it in the spool: what the results are made of.
///
/// Paths (`log`, `metadata`, `diffoscope`) are relative to the project's published tree,
/// so the pages under `results/` link to them with a leading `../`.
public struct TaskRow: Codable, Sendable, Equatable {
    /// Spool task id, e.g. "hello-repro_1.0-1_amd64.buildinfo".
    public var task: String
    /// Published subtree, e.g. "debian" or "qubesos/deb/r4.1/vm".
    public var project: String
    /// Distribution spec as configured, e.g. "bookworm+essential+required.amd64"; "" when unknown.
    public var distribution: String
    public var source: String
    public var version: String
    /// "amd64", "all", ...
    public var architecture: String
    public var status: TaskStatus
    public var attempts: Int
    /// Build log, e.g. "logs/hello-repro_1.0-1_amd64.log".
    public var log: String?
    /// Published in-toto link files.
    public var metadata: [String]
    /// Diffoscope reports.
    public var diffoscope: [String]
    /// ISO 8601 UTC time of the last change.
    public var updated: String

    public init(task: String, project: String, distribution: String, source: String, version: String,
                architecture: String, status: TaskStatus, attempts: Int, log: String? = nil,
                metadata: [String] = [], diffoscope: [String] = [], updated: String) {
        self.task = task
        self.project = project
        self.distribution = distribution
        self.source = source
        self.version = version
        self.architecture = architecture
        self.status = status
        self.attempts = attempts
        self.log = log
        self.metadata = metadata
        self.diffoscope = diffoscope
        self.updated = updated
    }
}

extension TaskRow {
    /// Source, version, architecture, then the task id and spec so equal triples still sort
    /// the same way every time. Versions compare as plain strings: this module has no
    /// Debian version order, and the point is a stable listing, not a version ranking.
    static func listingOrder(_ a: TaskRow, _ b: TaskRow) -> Bool {
        (a.source, a.version, a.architecture, a.task, a.distribution)
            < (b.source, b.version, b.architecture, b.task, b.distribution)
    }
}
