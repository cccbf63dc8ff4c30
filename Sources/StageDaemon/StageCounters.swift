import Synchronization

/// What a stage daemon has done since it started, for its status line and its exit log.
final class StageCounters: Sendable {
    enum Kind: String, CaseIterable { case claimed, handedOn = "handed on", deferred, failed, quarantined }
    private let counts = Mutex<[Kind: Int]>([:])

    func bump(_ kind: Kind) { counts.withLock { $0[kind, default: 0] += 1 } }

    var summary: String {
        let snapshot = counts.withLock { $0 }
        return Kind.allCases.map { "\($0.rawValue) \(snapshot[$0, default: 0])" }.joined(separator: ", ")
    }
}
