/// Where a task comes from, read from the labels its submitter gave it: the distribution section
/// of rebuilder.conf whose keys apply (`debian`, `qubesos`, `fedora`), the project subtree its
/// results are published in, and the distribution spec it was found for. A task without labels
/// (dropped into new/ by hand) belongs to debian.
public struct TaskOrigin: Sendable, Equatable {
    public var distribution: String
    public var project: ProjectPath
    /// The spec from `dist`, e.g. `bookworm+essential.amd64`; empty when unknown.
    public var dist: String

    public static let labelNames = (distribution: "distribution", project: "project", dist: "dist")
    public static let defaultDistribution = "debian"

    public init(distribution: String, project: ProjectPath, dist: String) {
        self.distribution = distribution
        self.project = project
        self.dist = dist
    }

    public init(labels: [String: String]) throws(PublishingError) {
        let distribution = labels[Self.labelNames.distribution] ?? Self.defaultDistribution
        try self.init(distribution: distribution, project: ProjectPath(labels[Self.labelNames.project] ?? distribution),
                      dist: labels[Self.labelNames.dist] ?? "")
    }
}
