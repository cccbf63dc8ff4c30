/// Labels that travel with a task from its submitter to the later stages: `records/<ID>/labels`,
/// one `key=value` a line, written before the task is renamed into new/ and never changed after.
/// The spool does not interpret them; a missing file means no labels.
public struct TaskLabels: Sendable, Equatable {
    public private(set) var values: [String: String] = [:]

    public init() {}

    public init(_ values: [String: String]) throws(TaskLabelError) {
        for (key, value) in values.sorted(by: { $0.key < $1.key }) { try set(key, value) }
    }

    public var isEmpty: Bool { values.isEmpty }
    public subscript(key: String) -> String? { values[key] }

    /// Keys are lowercase words; values are one line of printable text.
    public mutating func set(_ key: String, _ value: String) throws(TaskLabelError) {
        guard !key.isEmpty, key.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || $0 == UInt8(ascii: "-") }) else {
            throw TaskLabelError(key: key, reason: "a label name is lowercase letters and '-'")
        }
        guard !value.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw TaskLabelError(key: key, reason: "a label value is one line")
        }
        values[key] = value
    }

    var text: String { values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined() }

    /// Reads the file's lines; lines that are not `key=value` are skipped (the file is ours).
    init(text: String) {
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
    }
}

public struct TaskLabelError: Error, Sendable, Equatable, CustomStringConvertible {
    public var key: String
    public var reason: String
    public var description: String { "label '\(key)': \(reason)" }
}

extension Spool {
    func writeLabels(_ labels: TaskLabels, to records: TaskRecords) throws {
        try records.replace("labels", with: labels.text)
    }

    /// The labels a task was submitted with (none when it had none, or was dropped into new/ by hand).
    public func labels(of id: TaskID) throws -> TaskLabels {
        try records(of: id, create: false)?.labels() ?? TaskLabels()
    }
}
