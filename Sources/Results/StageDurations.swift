/// How long one stage's jobs took in total, for the Prometheus textfile.
public struct StageDurations: Sendable, Equatable {
    /// The stage's name, as its history lines give it.
    public var stage: String
    /// Number of jobs measured.
    public var count: Int
    public var totalSeconds: Double

    public init(stage: String, count: Int, totalSeconds: Double) {
        self.stage = stage
        self.count = count
        self.totalSeconds = totalSeconds
    }
}
