import Spool

/// The times a task's history gives for each stage's events.
struct PipelineHistory: Sendable {
    private let events: [HistoryEvent]

    init(spool: Spool, id: TaskID) {
        events = (try? spool.history(of: id)) ?? []
    }

    /// The first `event` of `stage` (wall-clock seconds).
    func time(_ stage: String, _ event: String) -> Double? {
        events.first { $0.stage == stage && $0.event == event }?.time
    }

    /// One hop: the claim by `toStage` minus the event that made the task available to it.
    func hop(_ hop: Hop) -> Double? {
        guard let from = time(hop.fromStage, hop.fromEvent), let to = time(hop.toStage, "claimed") else { return nil }
        return to - from
    }

    struct Hop: Sendable {
        var name: String
        var fromStage: String
        var fromEvent: String
        var toStage: String
    }

    /// Every hop of the pipeline: delivery into new/, then each stage's hand-off to the next.
    static let hops: [Hop] = [
        Hop(name: "submitted -> build claimed", fromStage: "submit", fromEvent: "submitted", toStage: "build"),
        Hop(name: "build handed -> attest claimed", fromStage: "build", fromEvent: "handed", toStage: "attest"),
        Hop(name: "attest handed -> report claimed", fromStage: "attest", fromEvent: "handed", toStage: "report"),
        Hop(name: "report handed -> upload claimed", fromStage: "report", fromEvent: "handed", toStage: "upload"),
    ]
}
