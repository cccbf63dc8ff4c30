/// Why results could not be published, naming the file (or row) and the reason.
public enum ResultsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A row handed in with the rows of another project; publishing it would mix two projects.
    case rowOfAnotherProject(task: String, project: String, expected: String)
    /// A distribution spec whose escaped file name still cannot be used (too long).
    case unusableFileName(distribution: String, reason: String)
    /// A system call failed on `path`.
    case file(path: String, operation: String, reason: String)
    /// JSON encoding failed (not expected for these types; kept with its context anyway).
    case encoding(path: String, reason: String)

    public var description: String {
        switch self {
        case .rowOfAnotherProject(let task, let project, let expected):
            "task \(task) belongs to project '\(project)', not '\(expected)'"
        case .unusableFileName(let distribution, let reason):
            "no results file name for distribution '\(distribution)': \(reason)"
        case .file(let path, let operation, let reason):
            "\(path): \(operation) failed: \(reason)"
        case .encoding(let path, let reason):
            "\(path): cannot encode JSON: \(reason)"
        }
    }
}
