/// An INI file as written, before any meaning is given to it.
/// Order and line numbers are kept so that validation can point at the exact line.
struct IniDocument: Sendable, Equatable {
    var sections: [IniSection]
}

struct IniSection: Sendable, Equatable {
    let name: String
    /// Line of the `[name]` header.
    let line: Int
    var entries: [IniEntry]

    /// The entries as a plain dictionary; keys are unique because the parser rejects duplicates.
    var values: [String: String] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) })
    }
}

struct IniEntry: Sendable, Equatable {
    let key: String
    /// Continuation lines are joined with "\n", as Python's configparser does.
    var value: String
    /// Line of the key (not of its continuation lines): that is where an operator looks.
    let line: Int
    /// The line of each line of `value`, for values that list things one a line (`dist`);
    /// comment lines inside a value are skipped, so they need not follow one another.
    var valueLines: [Int] = []

    init(key: String, value: String, line: Int) {
        self.key = key
        self.value = value
        self.line = line
    }
}
