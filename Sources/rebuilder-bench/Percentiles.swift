/// A summary of measured values (nearest-rank percentiles).
struct Distribution: Codable, Sendable {
    var count: Int
    var min: Double
    var p50: Double
    var p99: Double
    var max: Double
    var mean: Double

    /// nil for no values.
    init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        count = sorted.count
        min = sorted[0]
        max = sorted[sorted.count - 1]
        p50 = Distribution.percentile(sorted, 0.50)
        p99 = Distribution.percentile(sorted, 0.99)
        mean = sorted.reduce(0, +) / Double(sorted.count)
    }

    /// Nearest rank: the smallest value with at least `fraction` of all values at or below it.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
    }

    func scaled(by factor: Double) -> Distribution {
        var copy = self
        copy.min *= factor; copy.p50 *= factor; copy.p99 *= factor; copy.max *= factor; copy.mean *= factor
        return copy
    }
}
