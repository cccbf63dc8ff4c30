import Glibc

/// A spool on disk: a root holding one directory per state, `tmp/` for deliveries being written
/// and `records/<ID>/` for everything kept about a task (history, reasons, stage outputs).
public struct Spool: Sendable {
    public let root: String
    public let policy: RetryPolicy

    public init(root: String, policy: RetryPolicy = RetryPolicy()) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.policy = policy
    }

    public func path(_ directory: SpoolDirectory) -> String { "\(root)/\(directory.rawValue)" }
    public func path(_ directory: SpoolDirectory, _ name: String) -> String { "\(root)/\(directory.rawValue)/\(name)" }
    public var recordsPath: String { "\(root)/records" }
    public func recordPath(_ id: TaskID) -> String { "\(root)/records/\(id.rawValue)" }
    public func recordPath(_ id: TaskID, _ file: String) -> String { "\(root)/records/\(id.rawValue)/\(file)" }

    /// Creates the root and every directory; existing ones are kept as they are, so per-stage owners
    /// and modes set by an administrator survive.
    public func create() throws {
        try SystemCalls.makeDirectory(root)
        for directory in SpoolDirectory.allCases { try SystemCalls.makeDirectory(path(directory)) }
        try SystemCalls.makeDirectory(recordsPath)
    }

    /// Checks that the spool exists and, unless `readOnly`, that this process may change it.
    /// `writing`: the directories this process must be able to change (with one user per stage,
    /// each stage may write only its own); `records/` always, unless `readOnly`.
    public func validate(readOnly: Bool, writing: Set<SpoolDirectory> = Set(SpoolDirectory.allCases)) throws {
        guard isDirectory(root) else {
            throw SpoolError("open spool", path: root, reason: "no spool here (create one with `rebuilder init`)")
        }
        let required = SpoolDirectory.allCases.map { (path($0), writing.contains($0)) } + [(recordsPath, true)]
        for (directory, written) in required {
            guard isDirectory(directory) else {
                throw SpoolError("open spool", path: directory, reason: "missing: this is not a complete spool")
            }
            if !readOnly && written && access(directory, W_OK | X_OK) != 0 {
                throw SpoolError("open spool", path: directory, errno: errno, reason: "not writable by this user")
            }
        }
    }

    /// stat(2), following links: a spool directory may be a symlink an administrator placed.
    private func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.isDirectory
    }

    /// The tasks in one directory, with the entries that are not tasks kept apart.
    public func listing(_ directory: SpoolDirectory) throws -> DirectoryListing {
        var listing = DirectoryListing()
        for name in try SystemCalls.listNames(path(directory)) {
            switch EntryName.classify(name) {
            case .task(let entry): listing.tasks.append(entry)
            case .hidden: listing.hidden.append(String(decoding: name, as: UTF8.self))
            case .invalid(let reason): listing.invalid.append((name, reason))
            }
        }
        return listing
    }

    /// The names in a directory that may be tasks (everything but dot files), unvalidated: a claim
    /// decides what each one is.
    public func candidateNames(in directory: SpoolDirectory) throws -> [[UInt8]] {
        try SystemCalls.listNames(path(directory)).filter { $0.first != UInt8(ascii: ".") }
    }

    /// Every place a task with this identity is found, in pipeline order.
    public func locate(_ id: TaskID) throws -> [(SpoolDirectory, TaskEntry)] {
        var found: [(SpoolDirectory, TaskEntry)] = []
        for directory in SpoolDirectory.taskStates {
            for entry in try listing(directory).tasks where entry.id == id { found.append((directory, entry)) }
        }
        return found
    }
}

public struct DirectoryListing: Sendable {
    public var tasks: [TaskEntry] = []
    public var hidden: [String] = []
    public var invalid: [([UInt8], String)] = []

    /// The tasks that have a holder record (`.holder-<ID>`) in this directory.
    var holderIDs: Set<TaskID> {
        Set(hidden.filter { $0.hasPrefix(HolderRecord.prefix) }.compactMap { TaskID(String($0.dropFirst(HolderRecord.prefix.count))) })
    }
}

/// How often and how soon a stage tries a task again.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var backoffSeconds: Double
    public var maxBackoffSeconds: Double

    public init(maxAttempts: Int = 5, backoffSeconds: Double = 60, maxBackoffSeconds: Double = 3600) {
        self.maxAttempts = maxAttempts
        self.backoffSeconds = backoffSeconds
        self.maxBackoffSeconds = maxBackoffSeconds
    }

    /// Delay before the attempt that follows `failedAttempts` failures: doubling, capped.
    public func delay(afterFailedAttempts failedAttempts: Int) -> Double {
        let exponent = Double(max(0, failedAttempts - 1))
        return min(maxBackoffSeconds, backoffSeconds * pow(2, min(exponent, 30)))
    }
}
