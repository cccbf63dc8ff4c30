/// How a status looks on the page: one colour per status, each with a text colour that keeps
/// at least WCAG AA contrast on it, shared by the charts and the status badges of the tables.
enum StatusStyle {
    static func fill(_ status: TaskStatus) -> String {
        switch status {
        case .reproducible: "#2e7d32"
        case .unreproducible: "#f9a825"
        case .ftbfs: "#c62828"
        case .retry: "#ef6c00"
        case .building: "#1565c0"
        case .waiting: "#bdbdbd"
        case .failed: "#6a1b9a"
        }
    }

    static func text(_ status: TaskStatus) -> String {
        switch status {
        case .unreproducible, .retry, .waiting: "#1a1a1a"
        case .reproducible, .ftbfs, .building, .failed: "#ffffff"
        }
    }

    /// "80.0%"; a share that is not zero never shows as "0.0%", nor a partial one as "100.0%".
    static func percent(_ counts: StatusCounts, _ status: TaskStatus) -> String {
        let share = counts.percent(status)
        if counts[status] > 0 && share < 0.05 { return "<0.1%" }
        if counts[status] < counts.total && share >= 99.95 { return ">99.9%" }
        return String(format: "%.1f%%", share)
    }
}
