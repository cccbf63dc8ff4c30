import Foundation

enum Timestamp {
    /// "2024-05-01T12:00:00Z": whole seconds, UTC, the form the rows' `updated` field uses.
    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
