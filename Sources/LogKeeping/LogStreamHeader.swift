import Spool

/// What a sender says a log is about: the task, the build attempt and the project. The keeper
/// checks that each is a safe name (it becomes part of the log's path) but trusts none of it for
/// who is speaking: that comes from the socket (`PeerCredentials`).
public struct LogStreamHeader: Sendable, Equatable {
    public var task: TaskID
    public var attempt: Int
    public var project: ProjectPath

    public init(task: TaskID, attempt: Int, project: ProjectPath) {
        self.task = task
        self.attempt = attempt
        self.project = project
    }

    public var payload: [UInt8] {
        Array("task=\(task.rawValue)\nattempt=\(attempt)\nproject=\(project.description)\n".utf8)
    }

    public init(parsing payload: [UInt8]) throws(LogStreamError) {
        guard let text = String(validating: payload, as: UTF8.self) else { throw LogStreamError("header is not UTF-8") }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "="), fields[String(line[..<equals])] == nil else {
                throw LogStreamError("header line is not key=value once per key")
            }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard fields.count == 3, let taskText = fields["task"], let attemptText = fields["attempt"], let projectText = fields["project"] else {
            throw LogStreamError("header must name task, attempt and project, nothing else")
        }
        guard let task = TaskID(taskText) else { throw LogStreamError("header names no valid task") }
        guard let attempt = Int(attemptText), (1...TaskEntry.maximumAttempts).contains(attempt) else {
            throw LogStreamError("header names no valid attempt")
        }
        do {
            project = try ProjectPath(projectText)
        } catch {
            throw LogStreamError("header names no valid project: \(error.reason)")
        }
        self.task = task
        self.attempt = attempt
    }
}
