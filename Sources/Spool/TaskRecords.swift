import CLinuxCalls
import FileSystem
import Glibc

/// `records/<ID>/`, opened beneath the spool: the directory itself is never a symbolic link, and
/// every file in it is reached through its descriptor without following a link on the way or at
/// the end (`linux_open_beneath`). Whoever can write `records/` (a build runs as the spool's user)
/// can plant links there; none of them makes a stage read or write outside the spool.
public final class TaskRecords: @unchecked Sendable {
    public let id: TaskID
    /// `<root>/records/<ID>`: for messages and for programs given a path; never opened by it.
    public let path: String
    let descriptor: Int32

    init(id: TaskID, path: String, descriptor: Int32) {
        self.id = id
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    public func path(_ name: String) -> String { "\(path)/\(name)" }

    /// A file's bytes, or nil when it does not exist. A link is an error, never followed.
    public func read(_ name: String, limit: Int = 1 << 20) throws -> [UInt8]? {
        guard let (fd, _) = try openRegularFile(name) else { return nil }
        defer { close(fd) }
        return try SystemCalls.readAll(fd, path: path(name), limit: limit)
    }

    /// A file's last `maximumBytes` bytes (all of a smaller file), or nil when it does not exist:
    /// the end of a log that may be far larger than what is wanted of it.
    public func readTail(_ name: String, maximumBytes: Int) throws -> [UInt8]? {
        guard let (fd, info) = try openRegularFile(name) else { return nil }
        defer { close(fd) }
        let start = max(0, Int(info.st_size) - maximumBytes)
        if start > 0 && lseek(fd, off_t(start), SEEK_SET) < 0 { throw SpoolError("seek", path: path(name), errno: errno) }
        return Array(try SystemCalls.readAll(fd, path: path(name), limit: Int.max).prefix(maximumBytes))
    }

    /// A descriptor reading the file from its start, for a program's standard input. The caller closes it.
    public func openForReading(_ name: String) throws -> Int32 {
        guard let (fd, _) = try openRegularFile(name) else { throw SpoolError("open", path: path(name), errno: ENOENT) }
        return fd
    }

    /// The file opened beneath the records and its status; nil when it does not exist, an error
    /// when it is a link or anything but a regular file.
    private func openRegularFile(_ name: String) throws -> (Int32, stat)? {
        let fd = linux_open_beneath(descriptor, name, O_RDONLY | O_NONBLOCK, 0)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw SpoolError("open", path: path(name), errno: errno)
        }
        do {
            let info = try SystemCalls.status(of: fd, path: path(name))
            guard info.isRegularFile else {
                throw SpoolError("read", path: path(name), reason: "is \(info.kindDescription), not a regular file")
            }
            return (fd, info)
        } catch {
            close(fd)
            throw error
        }
    }

    /// Creates or replaces a file through a temporary sibling and a rename, so a reader never sees
    /// half of it; `durable` fsyncs it before the rename.
    public func replace(_ name: String, with bytes: [UInt8], durable: Bool = false) throws {
        let (parent, base) = try openParent(of: name)
        defer { close(parent) }
        try AtomicFile.write(bytes, named: base, in: parent, shownAs: path(name), durability: durable ? .file : .none)
    }

    public func replace(_ name: String, with text: String, durable: Bool = false) throws {
        try replace(name, with: Array(text.utf8), durable: durable)
    }

    /// Appends one line with O_APPEND, which keeps concurrent writers' lines whole.
    public func appendLine(_ name: String, _ line: String) throws {
        let fd = try openForAppending(name)
        defer { close(fd) }
        try Array((line + "\n").utf8).withUnsafeBytes { try SystemCalls.writeAll(fd, $0, path: path(name)) }
    }

    /// A descriptor appending to the file (created when missing): a job's log. The caller closes it.
    /// Records are group-writable as far as the umask allows, since every stage's user writes them.
    public func openForAppending(_ name: String) throws -> Int32 {
        let fd = linux_open_beneath(descriptor, name, O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK, 0o664)
        if fd < 0 { throw SpoolError("append", path: path(name), errno: errno) }
        return fd
    }

    /// A descriptor of a directory in the records, for a job to run in. The caller closes it.
    public func openDirectory(_ name: String) throws -> Int32 {
        let fd = linux_open_beneath(descriptor, name, O_RDONLY | O_DIRECTORY, 0)
        if fd < 0 { throw SpoolError("open directory", path: path(name), errno: errno) }
        return fd
    }

    /// mkdir that accepts an existing directory (not a link to one); returns whether it created it.
    @discardableResult
    public func makeDirectory(_ name: String) throws -> Bool {
        let (parent, base) = try openParent(of: name)
        defer { close(parent) }
        if mkdirat(parent, base, 0o775) == 0 { return true }
        guard errno == EEXIST else { throw SpoolError("mkdir", path: path(name), errno: errno) }
        var info = stat()
        guard fstatat(parent, base, &info, AT_SYMLINK_NOFOLLOW) == 0, info.isDirectory else {
            throw SpoolError("mkdir", path: path(name), reason: "exists and is not a plain directory")
        }
        return false
    }

    /// The entry's own status (a link is reported as one), or nil when it does not exist.
    public func status(_ name: String) throws -> stat? {
        let (parent, base) = try openParent(of: name)
        defer { close(parent) }
        var info = stat()
        if fstatat(parent, base, &info, AT_SYMLINK_NOFOLLOW) == 0 { return info }
        if errno == ENOENT { return nil }
        throw SpoolError("lstat", path: path(name), errno: errno)
    }

    public func exists(_ name: String) -> Bool { ((try? status(name)) ?? nil) != nil }

    /// When the file last changed, or nil when it does not exist.
    public func modificationTime(_ name: String) -> Double? { ((try? status(name)) ?? nil)?.modificationSeconds }

    /// The names in a directory of the records (none when it does not exist).
    public func names(in name: String) throws -> [String] {
        let fd = linux_open_beneath(descriptor, name, O_RDONLY | O_DIRECTORY, 0)
        if fd < 0 {
            if errno == ENOENT { return [] }
            throw SpoolError("list", path: path(name), errno: errno)
        }
        return try SystemCalls.listNames(descriptor: fd, path: path(name)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Removes a file, or a directory with everything in it, without following any link: a link
    /// inside is removed as a link, never what it points at. Nothing there is fine.
    public func remove(_ name: String) throws {
        let (parent, base) = try openParent(of: name)
        defer { close(parent) }
        try SystemCalls.removeEntry(base, in: parent, path: path(name))
    }

    /// The labels the task was submitted with (none when it had none).
    public func labels() throws -> TaskLabels {
        guard let bytes = try read("labels") else { return TaskLabels() }
        return TaskLabels(text: String(decoding: bytes, as: UTF8.self))
    }

    /// Where the task comes from and where its results go, from its labels.
    public func origin() throws -> TaskOrigin {
        try TaskOrigin(labels: labels().values)
    }

    /// The task's history, oldest first.
    public func history() throws -> [HistoryEvent] {
        guard let bytes = try read("history", limit: 64 << 20) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap(HistoryEvent.init(line:))
    }

    /// Appends to the task's history. History is for people and benchmarks, never for decisions,
    /// so it is not fsynced and a failure to write it does not stop a transition.
    public func record(_ event: HistoryEvent) {
        try? appendLine("history", event.line)
    }

    /// Waits for the identity's exclusive flock: one process at a time decides it.
    public func lockExclusively() throws {
        while flock(descriptor, LOCK_EX) != 0 {
            if errno != EINTR { throw SpoolError("flock", path: path, errno: errno) }
        }
    }

    public func unlock() { flock(descriptor, LOCK_UN) }

    /// The directory holding `name` (opened beneath, no links) and the last component.
    private func openParent(of name: String) throws -> (Int32, String) {
        guard let slash = name.lastIndex(of: "/") else {
            let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
            if copy < 0 { throw SpoolError("dup", path: path, errno: errno) }
            return (copy, name)
        }
        let fd = linux_open_beneath(descriptor, String(name[..<slash]), O_RDONLY | O_DIRECTORY, 0)
        if fd < 0 { throw SpoolError("open directory", path: path(String(name[..<slash])), errno: errno) }
        return (fd, String(name[name.index(after: slash)...]))
    }
}

extension Spool {
    /// Opens `records/<ID>/` beneath the spool, creating it when `create` (and it is missing).
    /// Nil when it does not exist and may not be created. Anything there but a plain directory (a
    /// symbolic link, a file) is refused with `SpoolError.notPlainRecords`.
    public func records(of id: TaskID, create: Bool) throws -> TaskRecords? {
        let parent = open(recordsPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if parent < 0 { throw SpoolError("open directory", path: recordsPath, errno: errno) }
        defer { close(parent) }
        if create && mkdirat(parent, id.rawValue, 0o775) != 0 && errno != EEXIST {
            throw SpoolError("mkdir", path: recordPath(id), errno: errno)
        }
        let fd = linux_open_beneath(parent, id.rawValue, O_RDONLY | O_DIRECTORY, 0)
        if fd < 0 {
            switch errno {
            case ENOENT where !create: return nil
            case ELOOP, ENOTDIR: throw SpoolError.notPlainRecords(recordPath(id))
            default: throw SpoolError("open directory", path: recordPath(id), errno: errno)
            }
        }
        return TaskRecords(id: id, path: recordPath(id), descriptor: fd)
    }

    /// The task's records when it has plain ones; nil when missing or not a plain directory.
    func existingRecords(of id: TaskID) -> TaskRecords? {
        (try? records(of: id, create: false)) ?? nil
    }

    /// The task's records, created when missing.
    public func records(of id: TaskID) throws -> TaskRecords {
        try records(of: id, create: true)!
    }
}

extension SpoolError {
    static let notPlainRecordsReason = "is not a plain directory (a symbolic link or another kind of file): refused, never followed"

    static func notPlainRecords(_ path: String) -> SpoolError {
        SpoolError("open records", path: path, errno: ELOOP, reason: notPlainRecordsReason)
    }

    /// Whether `records/<ID>` was something other than a plain directory.
    public var isNotPlainRecords: Bool { reason == SpoolError.notPlainRecordsReason }
}
