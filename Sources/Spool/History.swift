/// A task's history: `records/<ID>/history`, one tab-separated line per event, appended by every
/// process that touches the task: time, stage (or the command that acted), event, actor, detail.
public struct HistoryEvent: Sendable, Equatable {
    public var time: Double
    public var stage: String
    public var event: String
    public var actor: String
    public var detail: String

    public init(time: Double = Timestamp.now(), stage: String, event: String, actor: String = Actor.current.description, detail: String = "") {
        self.time = time
        self.stage = stage
        self.event = event
        self.actor = actor
        self.detail = detail
    }

    /// An event of one of the pipeline's stages.
    public init(time: Double = Timestamp.now(), stage: Stage, event: String, actor: String = Actor.current.description, detail: String = "") {
        self.init(time: time, stage: stage.name, event: event, actor: actor, detail: detail)
    }

    var line: String {
        let cleanDetail = detail.map { $0 == "\n" || $0 == "\t" ? " " : $0 }
        return "\(Timestamp.format(time))\t\(stage)\t\(event)\t\(actor)\t\(String(cleanDetail))"
    }

    init?(line: Substring) {
        let fields = line.split(separator: "\t", maxSplits: 4, omittingEmptySubsequences: false)
        guard fields.count >= 4, let time = Timestamp.parse(fields[0]) else { return nil }
        self.init(time: time, stage: String(fields[1]), event: String(fields[2]), actor: String(fields[3]),
                  detail: fields.count > 4 ? String(fields[4]) : "")
    }
}

extension Spool {
    /// Appends to the task's history. History is for people and benchmarks, never for decisions,
    /// so it is not fsynced and a failure to write it does not stop a transition.
    public func record(_ event: HistoryEvent, for id: TaskID) {
        existingRecords(of: id)?.record(event)
    }

    public func history(of id: TaskID) throws -> [HistoryEvent] {
        try records(of: id, create: false)?.history() ?? []
    }

    /// The last reason a task failed or was deferred, if any.
    public func reason(of id: TaskID) throws -> String? {
        try records(of: id, create: false)?.read("reason").map { String(decoding: $0, as: UTF8.self) }
    }
}
