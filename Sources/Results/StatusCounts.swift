/// How many tasks are in each status, every status present (zero when none).
///
/// Encodes as an object with one key per status, so the JSON export always lists all seven.
public struct StatusCounts: Sendable, Equatable {
    private var values: [TaskStatus: Int]

    public init() {
        values = Dictionary(uniqueKeysWithValues: TaskStatus.allCases.map { ($0, 0) })
    }

    public init(_ rows: some Sequence<TaskRow>) {
        self.init()
        for row in rows { self[row.status] += 1 }
    }

    public subscript(status: TaskStatus) -> Int {
        get { values[status, default: 0] }
        set { values[status] = newValue }
    }

    public var total: Int { values.values.reduce(0, +) }

    /// The share of `status` in percent; 0 when there are no tasks at all.
    public func percent(_ status: TaskStatus) -> Double {
        total == 0 ? 0 : Double(self[status]) * 100 / Double(total)
    }
}

extension StatusCounts: Codable {
    public init(from decoder: any Decoder) throws {
        let decoded = try [String: Int](from: decoder)
        self.init()
        for status in TaskStatus.allCases { self[status] = decoded[status.rawValue] ?? 0 }
    }

    public func encode(to encoder: any Encoder) throws {
        try Dictionary(uniqueKeysWithValues: TaskStatus.allCases.map { ($0.rawValue, self[$0]) }).encode(to: encoder)
    }
}
