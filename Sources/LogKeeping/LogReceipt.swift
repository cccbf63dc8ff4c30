import Hexadecimal
import Spool

/// The keeper's word that a log arrived and was kept: which task and build attempt it belongs to,
/// where it is in the repository, its SHA-256, the commit holding it and when. The text is what the
/// keeper signs (`<attempt>.receipt` beside `<attempt>.receipt.sig`); every field is checked on
/// reading, since a receipt is only as good as what verifies it.
public struct LogReceipt: Sendable, Equatable {
    public var task: TaskID
    public var attempt: Int
    public var project: ProjectPath
    /// The log's path in the repository's work tree.
    public var log: String
    public var logSHA256: String
    public var commit: String
    public var time: String
    /// Who sent the log, as the socket said: `pid N uid U gid G`.
    public var sender: String

    public init(task: TaskID, attempt: Int, project: ProjectPath, log: String, logSHA256: String, commit: String, time: String, sender: String) {
        self.task = task
        self.attempt = attempt
        self.project = project
        self.log = log
        self.logSHA256 = logSHA256
        self.commit = commit
        self.time = time
        self.sender = sender
    }

    static let fields = ["Task", "Attempt", "Project", "Log", "Log-SHA256", "Commit", "Time", "Sender"]

    public var text: String {
        zip(Self.fields, [task.rawValue, String(attempt), project.description, log, logSHA256, commit, time, sender])
            .map { "\($0): \($1)\n" }.joined()
    }

    public init(parsing bytes: [UInt8]) throws(LogStreamError) {
        guard bytes.count < 4096, let text = String(validating: bytes, as: UTF8.self), text.hasSuffix("\n") else {
            throw LogStreamError("not a receipt (size or encoding)")
        }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == Self.fields.count else { throw LogStreamError("not a receipt: \(lines.count) lines") }
        var values: [String] = []
        for (line, field) in zip(lines, Self.fields) {
            guard line.hasPrefix("\(field): ") else { throw LogStreamError("not a receipt: expected \(field)") }
            values.append(String(line.dropFirst(field.count + 2)))
        }
        guard let task = TaskID(values[0]), let attempt = Int(values[1]), attempt > 0 else {
            throw LogStreamError("receipt names no valid task and attempt")
        }
        guard let project = try? ProjectPath(values[2]) else { throw LogStreamError("receipt names no valid project") }
        guard Self.isSafeRelativePath(values[3]) else { throw LogStreamError("receipt's log path is not a plain relative path") }
        guard let logSHA256 = Hex.normalized(values[4], count: 64), let commit = Hex.normalized(values[5], count: 40) else {
            throw LogStreamError("receipt's hash or commit id is malformed")
        }
        self.init(task: task, attempt: attempt, project: project, log: values[3], logSHA256: logSHA256,
                  commit: commit, time: values[6], sender: values[7])
    }

    /// Names for the receipt and its signature inside `receipts/<task>/`.
    public static func fileName(attempt: Int) -> String { "\(attempt).receipt" }
    public static func signatureName(attempt: Int) -> String { "\(attempt).receipt.sig" }

    static func isSafeRelativePath(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/")
            && path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { PlainName.isSafe(String($0)) }
    }
}
