/// What a receiver is told about a finished task: the JSON body of the POST and the command's
/// standard input, written once per finish to `records/<ID>/notify/<finish>/summary.json` and
/// sent as those exact bytes on every attempt.
public struct NotificationSummary: Codable, Sendable, Equatable {
    /// How one artifact of the buildinfo came out of the rebuild.
    public enum ArtifactVerdict: String, Codable, Sendable {
        /// Rebuilt bit for bit.
        case reproducible
        /// Rebuilt, but different.
        case unreproducible
        /// Not rebuilt.
        case missing
    }

    public struct Artifact: Codable, Sendable, Equatable {
        public var name: String
        public var verdict: ArtifactVerdict
        public var expectedSHA256: String
        public var rebuiltSHA256: String?

        public init(name: String, verdict: ArtifactVerdict, expectedSHA256: String, rebuiltSHA256: String?) {
            self.name = name
            self.verdict = verdict
            self.expectedSHA256 = expectedSHA256
            self.rebuiltSHA256 = rebuiltSHA256
        }
    }

    /// Where the published files are: `<links-base>/<project>/<path>`, or the path in the
    /// published tree (`<project>/<path>`) when no links-base is configured.
    public struct Links: Codable, Sendable, Equatable {
        public var log: String?
        public var buildinfo: String?
        public var diffoscope: [String]
        /// The in-toto links (the merged link of each side).
        public var metadata: [String]

        public init(log: String? = nil, buildinfo: String? = nil, diffoscope: [String] = [], metadata: [String] = []) {
            self.log = log
            self.buildinfo = buildinfo
            self.diffoscope = diffoscope
            self.metadata = metadata
        }
    }

    /// `<task>@<finish>`: the same for every attempt and every receiver, different for each
    /// finish, so a receiver can drop a notification it got twice (a notifier stopped between a
    /// POST and its record sends it again).
    public var id: String
    public var task: String
    /// The published subtree, e.g. `debian`.
    public var project: String
    /// The rebuilder.conf section the task belongs to, e.g. `debian`.
    public var distribution: String
    /// The distribution spec it was found for; empty when unknown.
    public var dist: String
    /// `uploaded` or `failed`.
    public var state: String
    /// When it reached that state (UTC, as the spool writes times).
    public var finished: String
    public var source: String?
    public var version: String?
    /// The build stage's verdict (reproducible, unreproducible, ftbfs); nil when it never judged one.
    public var verdict: String?
    /// Why a failed task failed: the last reason recorded.
    public var reason: String?
    public var artifacts: [Artifact]
    public var links: Links
    /// The last lines of the build log, escaped for display (at most `LogTail.lineCount`).
    public var logTail: [String]
    /// Records that could not be read, each with why; the parts they hold are left out. Absent
    /// when every record could be read.
    public var unreadable: [String]?

    public init(id: String, task: String, project: String, distribution: String, dist: String, state: String, finished: String,
                source: String? = nil, version: String? = nil, verdict: String? = nil, reason: String? = nil,
                artifacts: [Artifact] = [], links: Links = Links(), logTail: [String] = [], unreadable: [String] = []) {
        self.id = id
        self.task = task
        self.project = project
        self.distribution = distribution
        self.dist = dist
        self.state = state
        self.finished = finished
        self.source = source
        self.version = version
        self.verdict = verdict
        self.reason = reason
        self.artifacts = artifacts
        self.links = links
        self.logTail = logTail
        self.unreadable = unreadable.isEmpty ? nil : unreadable
    }
}
