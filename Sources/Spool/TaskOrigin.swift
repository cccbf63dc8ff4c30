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

    public init(labels: [String: String]) throws(TaskLabelError) {
        let distribution = labels[Self.labelNames.distribution] ?? Self.defaultDistribution
        let project: ProjectPath
        do {
            project = try ProjectPath(labels[Self.labelNames.project] ?? distribution)
        } catch {
            throw TaskLabelError(key: Self.labelNames.project, reason: error.reason)
        }
        self.init(distribution: distribution, project: project,
                      dist: labels[Self.labelNames.dist] ?? "")
    }
}

/// A project's place in the published tree, such as `debian` or `qubesos/deb/r4.1/vm`: a relative
/// path of plain names, so that a label or a configuration value can never point outside the tree.
public struct ProjectPath: Sendable, Hashable, CustomStringConvertible {
    public let components: [String]

    public init(_ text: String) throws(TaskLabelError) {
        let components = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !text.isEmpty, components.allSatisfy(PlainName.isSafe) else {
            throw TaskLabelError(key: TaskOrigin.labelNames.project,
                                 reason: "'\(text)': a project is a relative path of names made of letters, digits and . _ + - (such as debian or qubesos/deb/r4.1/vm)")
        }
        self.components = components
    }

    public var description: String { components.joined(separator: "/") }
    /// One file-name-safe word for the project (`qubesos_deb_r4.1_vm`), e.g. for a textfile name.
    public var flattened: String { components.joined(separator: "_") }
}

/// Names that may be a file or directory name in the published tree, and so a component of a
/// task's project.
public enum PlainName {
    /// Letters, digits and `. _ + - ~ :`, not empty, not starting with `.` or `-`.
    public static func isSafe(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: "."), first != UInt8(ascii: "-"), name.utf8.count <= 255 else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
                || [UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "~"), UInt8(ascii: ":")].contains(byte)
        }
    }
}
