import Glibc
import Synchronization

/// The one way files are replaced, in the spool, its records and the published tree: the content
/// goes to a hidden temporary in the same directory (`.<name>.<pid>.<n>.tmp`, which no listing of
/// tasks, rsync run or web index takes for a real file), is flushed as far as the caller asks, and
/// is renamed over the old file. A reader sees the old content or the new, never a part.
public enum AtomicFile {
    /// What survives a power cut once `write` returns.
    public enum Durability: Sendable {
        /// Nothing is flushed: the file is whole whenever it is seen, and may be the old one
        /// after a power cut (records, holder records: written before a rename that is itself
        /// made durable, or informative).
        case none
        /// The content is flushed before the rename (published files).
        case file
        /// The content, and then the directory holding the rename (results pages).
        case fileAndDirectory
    }

    /// Replaces `name` in the open directory `directory`; `shownAs` is its path for errors.
    public static func write(_ bytes: [UInt8], named name: String, in directory: Int32, shownAs path: String,
                             durability: Durability) throws(FileSystemError) {
        let temporary = temporaryName(for: name)
        let temporaryPath = sibling(of: path, named: temporary)
        let fd = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        if fd < 0 { throw .lastError("open", path: temporaryPath) }
        do throws(FileSystemError) {
            try writeAll(bytes, to: fd, path: temporaryPath)
            if durability != .none && fsync(fd) != 0 { throw .lastError("fsync", path: temporaryPath) }
        } catch {
            close(fd)
            unlinkat(directory, temporary, 0)
            throw error
        }
        // Linux releases the descriptor even when close reports an error (a late write error).
        if close(fd) != 0 {
            let error = FileSystemError.lastError("close", path: temporaryPath)
            unlinkat(directory, temporary, 0)
            throw error
        }
        if renameat(directory, temporary, directory, name) != 0 {
            let error = FileSystemError.lastError("rename", path: path)
            unlinkat(directory, temporary, 0)
            throw error
        }
        if durability == .fileAndDirectory && fsync(directory) != 0 { throw .lastError("fsync", path: parent(of: path)) }
    }

    /// Replaces the file at `path` (its directory must exist).
    public static func write(_ bytes: [UInt8], to path: String, durability: Durability) throws(FileSystemError) {
        let directoryPath = parent(of: path)
        let directory = open(directoryPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory < 0 { throw .lastError("open", path: sibling(of: path, named: temporaryName(for: name(of: path)))) }
        defer { close(directory) }
        try write(bytes, named: name(of: path), in: directory, shownAs: path, durability: durability)
    }

    /// A hidden name, unique per process and call, for something about to be renamed to `name`.
    public static func temporaryName(for name: String) -> String {
        ".\(name).\(getpid()).\(counter.add(1, ordering: .relaxed).newValue).tmp"
    }

    /// The directory part of a path ("." for a bare name, "/" for the root's entries).
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func name(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    private static func sibling(of path: String, named name: String) -> String {
        "\(parent(of: path))/\(name)"
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(FileSystemError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .lastError("write", path: path)
            }
            offset += written
        }
    }

    private static let counter = Atomic<Int>(0)
}
