import UntrustedText
/// The identity of a task: its file name without the attempt part. The name is chosen by whoever
/// submits the task; the spool only insists that it is safe to use as a file name anywhere
/// (shells, URLs, published trees), so a hostile name can never reach a later stage.
public struct TaskID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public static let maximumLength = 200

    public init?(_ text: String) {
        guard TaskID.problem(in: Array(text.utf8)) == nil else { return nil }
        rawValue = text
    }

    public var description: String { rawValue }
    public static func < (lhs: TaskID, rhs: TaskID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Why `bytes` cannot be a task identity, or nil when it can.
    static func problem(in bytes: [UInt8]) -> String? {
        guard let first = bytes.first else { return "name is empty" }
        if bytes.count > maximumLength { return "name is longer than \(maximumLength) bytes" }
        if String(validating: bytes, as: UTF8.self) == nil { return "name is not valid UTF-8" }
        if let control = bytes.first(where: { $0 < 0x20 || $0 == 0x7F }) {
            return control == 0x0A ? "name contains a newline" : "name contains a control character"
        }
        if first == UInt8(ascii: "-") { return "name starts with '-'" }
        if bytes.indices.dropLast().contains(where: { bytes[$0] == 0x2E && bytes[$0 + 1] == 0x2E }) {
            return "name contains '..'"
        }
        if !isAlphanumeric(first) { return "name must start with a letter or digit" }
        if let other = bytes.first(where: { !isAlphanumeric($0) && !punctuation.contains($0) }) {
            let shown = other < 0x80 ? "'\(Character(Unicode.Scalar(other)))'" : "a non-ASCII character"
            return "name contains \(shown)"
        }
        return nil
    }

    private static let punctuation = Set(".+~_-".utf8)

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}

/// A task's file name as it stands in a spool directory: its identity and, maildir-style after a
/// colon, how many attempts of the current stage have already failed (`ID:2`). The count travels
/// with the rename that requeues the task, so no process has to remember it.
public struct TaskEntry: Hashable, Sendable, CustomStringConvertible {
    public let id: TaskID
    public let failedAttempts: Int
    public static let maximumAttempts = 9999

    public init(id: TaskID, failedAttempts: Int = 0) {
        self.id = id
        self.failedAttempts = failedAttempts
    }

    public var fileName: String { failedAttempts == 0 ? id.rawValue : "\(id.rawValue):\(failedAttempts)" }
    public var description: String { fileName }

    public func afterFailedAttempt() -> TaskEntry { TaskEntry(id: id, failedAttempts: failedAttempts + 1) }

    public init?(fileName: String) {
        guard case .task(let entry) = EntryName.classify(Array(fileName.utf8)) else { return nil }
        self = entry
    }
}

/// What a directory entry's name says it is, before anything is opened.
public enum EntryName: Sendable, Equatable {
    case task(TaskEntry)
    /// Dot files: spool bookkeeping (holder records) and files still being copied in by tools
    /// such as rsync, which write `.name.XXXXXX` and rename at the end. Never taken, never moved.
    case hidden
    case invalid(reason: String)

    public static func classify(_ bytes: [UInt8]) -> EntryName {
        if bytes.first == 0x2E { return .hidden }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else {
            if let problem = TaskID.problem(in: bytes) { return .invalid(reason: problem) }
            return .task(TaskEntry(id: TaskID(String(decoding: bytes, as: UTF8.self))!))
        }
        let identity = Array(bytes[..<colon])
        if let problem = TaskID.problem(in: identity) { return .invalid(reason: problem) }
        let info = bytes[(colon + 1)...]
        guard !info.isEmpty, info.count <= 4, info.first != UInt8(ascii: "0"),
              info.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let attempts = Int(String(decoding: info, as: UTF8.self))
        else {
            return .invalid(reason: "the part after ':' must be an attempt count from 1 to \(TaskEntry.maximumAttempts)")
        }
        return .task(TaskEntry(id: TaskID(String(decoding: identity, as: UTF8.self))!, failedAttempts: attempts))
    }
}

/// A name as it can be shown in a reason or a log: printable ASCII as is, everything else escaped,
/// so a newline or an escape sequence in a hostile name cannot forge lines.
public func printableName(_ bytes: [UInt8]) -> String { UntrustedText.escapedName(bytes) }

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
