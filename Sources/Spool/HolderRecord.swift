/// Who holds a task: `.holder-<ID>` beside the task in the stage's working directory. The lock on
/// the task file is what counts on the live host; this record is what a read-only mirror (where no
/// lock exists) and the next holder (to count an attempt whose process died) go by.
public struct HolderRecord: Sendable, Equatable {
    public var entry: String
    public var stage: String
    public var host: String
    public var pid: Int32
    public var started: Double

    public static let prefix = ".holder-"
    public static func fileName(for id: TaskID) -> String { prefix + id.rawValue }

    var text: String {
        "entry=\(entry)\nstage=\(stage)\nhost=\(host)\npid=\(pid)\nstarted=\(Timestamp.format(started))\n"
    }

    init(entry: String, stage: String, actor: Actor = .current, started: Double) {
        self.entry = entry
        self.stage = stage
        self.host = actor.host
        self.pid = actor.pid
        self.started = started
    }

    init?(text: String) {
        var fields: [Substring: Substring] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { return nil }
            fields[line[..<equals]] = line[line.index(after: equals)...]
        }
        guard let entry = fields["entry"], let stage = fields["stage"], let host = fields["host"],
              let pid = fields["pid"].flatMap({ Int32($0) }),
              let started = fields["started"].flatMap({ Timestamp.parse($0) }) else { return nil }
        self.entry = String(entry)
        self.stage = String(stage)
        self.host = String(host)
        self.pid = pid
        self.started = started
    }
}

extension Spool {
    func holderPath(_ directory: SpoolDirectory, _ id: TaskID) -> String {
        path(directory, HolderRecord.fileName(for: id))
    }

    /// The holder record of a task in a working directory; `.some(nil)` when one exists but cannot
    /// be read (its writer died mid-write), nil when there is none.
    func holder(in directory: SpoolDirectory, of id: TaskID) throws -> HolderRecord?? {
        guard let bytes = try SystemCalls.readSmallFile(holderPath(directory, id), limit: 4096) else { return nil }
        return .some(HolderRecord(text: String(decoding: bytes, as: UTF8.self)))
    }
}
