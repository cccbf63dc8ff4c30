import Spool

/// The times a task's history gives for each stage's events.
struct PipelineHistory: Sendable {
    private let events: [HistoryEvent]

    init(spool: Spool, id: TaskID) {
        events = (try? spool.history(of: id)) ?? []
    }

    /// The first `event` of `stage` (wall-clock seconds).
    func time(_ stage: Stage, _ event: String) -> Double? { time(stage.name, event) }

    /// The same for whoever wrote the history line (a stage or a command such as submit).
    func time(_ actor: String, _ event: String) -> Double? {
        events.first { $0.stage == actor && $0.event == event }?.time
    }

    /// One hop: the claim by `toStage` minus the event that made the task available to it.
    func hop(_ hop: Hop) -> Double? {
        guard let from = time(hop.from, hop.fromEvent), let to = time(hop.toStage, "claimed") else { return nil }
        return to - from
    }

    struct Hop: Sendable {
        var from: String
        var fromEvent: String
        var toStage: Stage
        /// "submitted -> build claimed", "build handed -> attest claimed", ...
        var name: String { "\(from == "submit" ? fromEvent : "\(from) \(fromEvent)") -> \(toStage) claimed" }
    }

    /// Every hop of the pipeline: delivery into new/, then each stage's hand-off to the next.
    static let hops: [Hop] = [Hop(from: "submit", fromEvent: "submitted", toStage: StageRoute.all[0].stage)]
        + zip(StageRoute.all, StageRoute.all.dropFirst()).map { Hop(from: $0.stage.name, fromEvent: "handed", toStage: $1.stage) }
}
