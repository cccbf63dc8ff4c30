import CLinuxCalls
import FileSystem
import Glibc

/// Thin wrappers over the system calls the spool is made of; every failure names its path.
enum SystemCalls {
    static func openDirectory(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw SpoolError("open directory", path: path, errno: errno) }
        return fd
    }

    static func status(of fd: Int32, path: String) throws -> stat {
        var info = stat()
        if fstat(fd, &info) != 0 { throw SpoolError("fstat", path: path, errno: errno) }
        return info
    }

    /// lstat; nil when the entry does not exist.
    static func linkStatus(_ path: String) throws -> stat? {
        var info = stat()
        if lstat(path, &info) == 0 { return info }
        if errno == ENOENT { return nil }
        throw SpoolError("lstat", path: path, errno: errno)
    }

    /// rename(2) that never replaces an existing destination, so no task can overwrite another.
    /// Filesystems without RENAME_NOREPLACE (NFS) fall back to check-then-rename; the window
    /// between the two is closed in practice by the task lock every mover holds.
    static func renameNoReplace(_ source: String, _ destination: String) throws {
        if linux_rename_noreplace(source, destination) == 0 { return }
        let failure = errno
        if failure == EINVAL || failure == ENOSYS {
            if access(destination, F_OK) == 0 {
                throw SpoolError("rename", path: "\(source) → \(destination)", errno: EEXIST)
            }
            if rename(source, destination) == 0 { return }
            throw SpoolError("rename", path: "\(source) → \(destination)", errno: errno)
        }
        throw SpoolError("rename", path: "\(source) → \(destination)", errno: failure)
    }

    static func syncDirectory(_ path: String) throws {
        let fd = try openDirectory(path)
        defer { close(fd) }
        if fsync(fd) != 0 { throw SpoolError("fsync", path: path, errno: errno) }
    }

    /// mkdir that accepts an existing directory; returns whether it created it.
    @discardableResult
    static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws -> Bool {
        if mkdir(path, mode) == 0 { return true }
        if errno == EEXIST { return false }
        throw SpoolError("mkdir", path: path, errno: errno)
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw SpoolError("write", path: path, errno: errno)
            }
            offset += written
        }
    }

    /// Creates or replaces a small file with `text` (`AtomicFile`, nothing flushed: what is
    /// written this way is informative or made durable by a later fsync).
    static func replaceFile(_ path: String, with text: String) throws {
        try AtomicFile.write(Array(text.utf8), to: path, durability: .none)
    }

    /// Appends one line with O_APPEND, which keeps concurrent writers' lines whole. Group-writable
    /// as far as the umask allows: with one user per stage, every stage appends to a task's history.
    static func appendLine(_ path: String, _ line: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o664)
        if fd < 0 { throw SpoolError("append", path: path, errno: errno) }
        defer { close(fd) }
        try Array((line + "\n").utf8).withUnsafeBytes { try writeAll(fd, $0, path: path) }
    }

    /// The whole of a small file, or nil when it does not exist.
    static func readSmallFile(_ path: String, limit: Int = 1 << 20) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw SpoolError("open", path: path, errno: errno)
        }
        defer { close(fd) }
        return try readAll(fd, path: path, limit: limit)
    }

    /// A regular file's bytes, or nil for anything else (missing, a link, a fifo, unreadable):
    /// for looking at entries that may be hostile.
    static func readRegularFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        if fd < 0 { return nil }
        defer { close(fd) }
        guard let info = try? status(of: fd, path: path), info.isRegularFile else { return nil }
        return try? readAll(fd, path: path, limit: Int.max)
    }

    static func readAll(_ fd: Int32, path: String, limit: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SpoolError("read", path: path, errno: errno)
            }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
            if result.count > limit {
                throw SpoolError("read", path: path, reason: "larger than \(limit) bytes")
            }
        }
    }

    /// Names in a directory as raw bytes (a hostile name need not be UTF-8), without "." and "..".
    static func listNames(_ path: String) throws -> [[UInt8]] {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw SpoolError("list", path: path, errno: errno) }
        return try listNames(descriptor: fd, path: path)
    }

    /// The same for an open directory; the descriptor is consumed.
    static func listNames(descriptor fd: Int32, path: String) throws -> [[UInt8]] {
        guard let directory = fdopendir(fd) else {
            let failure = errno
            close(fd)
            throw SpoolError("list", path: path, errno: failure)
        }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> [UInt8] in
                let bytes = raw.bindMemory(to: UInt8.self)
                let length = bytes.firstIndex(of: 0) ?? bytes.count
                return Array(bytes[0..<length])
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        return names
    }

    /// Removes `name` in the directory `parent`, a whole tree, never following a link.
    static func removeEntry(_ name: String, in parent: Int32, path: String) throws {
        if linux_remove_tree_at(parent, name) != 0 { throw SpoolError("remove", path: path, errno: errno) }
    }

    /// Takes an exclusive flock without waiting; false when another open file holds it.
    static func tryLock(_ fd: Int32, path: String) throws -> Bool {
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK { return false }
            throw SpoolError("flock", path: path, errno: errno)
        }
        return true
    }

    /// When `parent` is a set-group-ID directory, gives the directory open as `fd` its group and
    /// that bit, as mkdir in `parent` would have.
    static func inheritSetGroup(of parent: String, into fd: Int32, path: String) throws {
        var parentInfo = stat()
        var info = stat()
        guard stat(parent, &parentInfo) == 0, parentInfo.st_mode & S_ISGID != 0 else { return }
        guard fstat(fd, &info) == 0 else { throw SpoolError("stat", path: path, errno: errno) }
        if info.st_gid != parentInfo.st_gid, fchown(fd, uid_t.max, parentInfo.st_gid) != 0 {
            throw SpoolError("chown", path: path, errno: errno)
        }
        if fchmod(fd, (info.st_mode & 0o7777) | S_ISGID) != 0 { throw SpoolError("chmod", path: path, errno: errno) }
    }

    static func setModificationTime(_ fd: Int32, to seconds: Double, path: String) throws {
        let whole = seconds.rounded(.down)
        let stamp = timespec(tv_sec: Int(whole), tv_nsec: Int((seconds - whole) * 1e9))
        var times = [stamp, stamp]
        if futimens(fd, &times) != 0 { throw SpoolError("set time of", path: path, errno: errno) }
    }
}

extension stat {
    var isRegularFile: Bool { (st_mode & S_IFMT) == S_IFREG }
    var isDirectory: Bool { (st_mode & S_IFMT) == S_IFDIR }
    var modificationSeconds: Double { Double(st_mtim.tv_sec) + Double(st_mtim.tv_nsec) / 1e9 }
    var changeSeconds: Double { Double(st_ctim.tv_sec) + Double(st_ctim.tv_nsec) / 1e9 }

    /// What kind of thing a non-regular entry is, for a quarantine reason.
    var kindDescription: String {
        switch st_mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a directory"
        case S_IFLNK: return "a symbolic link"
        case S_IFIFO: return "a fifo"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        default: return "an unknown kind of file"
        }
    }

    func isSameFile(as other: stat) -> Bool { st_dev == other.st_dev && st_ino == other.st_ino }
}

/// Wall-clock seconds since the epoch, the unit of every time the spool keeps on disk.
func currentTime() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
