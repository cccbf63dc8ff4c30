import Glibc
import Synchronization

/// Files in the published tree appear whole or not at all: each is written under a temporary
/// name in its own directory, flushed, and renamed over the old one. Readers (web servers,
/// rsync) see either the previous version or the new one.
public enum AtomicFiles {
    /// Creates `path`'s directory and parents as needed.
    public static func makeDirectories(_ path: String) throws(PublishingError) {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw PublishingError("mkdir", path: prefix, errno: errno)
            }
        }
    }

    public static func write(_ bytes: [UInt8], to path: String) throws(PublishingError) {
        try makeDirectories(directory(of: path))
        let temporary = temporaryName(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        if fd < 0 { throw PublishingError("create", path: temporary, errno: errno) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            if written < 0 {
                let failure = errno
                close(fd)
                unlink(temporary)
                throw PublishingError("write", path: temporary, errno: failure)
            }
            offset += written
        }
        let synced = fsync(fd) == 0
        let failure = errno
        close(fd)
        if !synced {
            unlink(temporary)
            throw PublishingError("fsync", path: temporary, errno: failure)
        }
        try renameIntoPlace(temporary, path)
    }

    /// Makes `path` a symbolic link to `target`, replacing whatever link was there in one rename.
    /// A real file or directory at `path` is left alone and reported.
    public static func placeSymlink(_ target: String, at path: String) throws(PublishingError) {
        var status = stat()
        if lstat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFLNK else {
                throw PublishingError(path: path, reason: "exists and is not a symbolic link; left as it is")
            }
            if currentTarget(of: path) == target { return }
        }
        try makeDirectories(directory(of: path))
        let temporary = temporaryName(for: path)
        if symlink(target, temporary) != 0 { throw PublishingError("symlink", path: temporary, errno: errno) }
        try renameIntoPlace(temporary, path)
    }

    /// True when something other than a symbolic link is at `path`.
    public static func isRealEntry(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT != S_IFLNK
    }

    static func currentTarget(of path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink(path, &buffer, 4096)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Hidden, unique per process and call: rsync and web listings skip or ignore dot files.
    static func temporaryName(for path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? "file"
        return "\(directory(of: path))/.\(name).\(getpid()).\(counter.next()).tmp"
    }

    private static func renameIntoPlace(_ temporary: String, _ path: String) throws(PublishingError) {
        if rename(temporary, path) != 0 {
            let failure = errno
            unlink(temporary)
            throw PublishingError("rename into place", path: path, errno: failure)
        }
    }

    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static let counter = TemporaryCounter()
}

/// Distinguishes temporary names of concurrent writers in one process.
private final class TemporaryCounter: Sendable {
    private let value = Atomic<Int>(0)
    func next() -> Int { value.add(1, ordering: .relaxed).newValue }
}
