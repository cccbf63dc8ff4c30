import FileSystem
import Glibc

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

    /// Replaces `path` with `bytes`, flushed before the rename (`AtomicFile`), making its
    /// directories as needed.
    public static func write(_ bytes: [UInt8], to path: String) throws(PublishingError) {
        try makeDirectories(directory(of: path))
        try AtomicFile.write(bytes, to: path, durability: .file)
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
        "\(directory(of: path))/\(AtomicFile.temporaryName(for: path.split(separator: "/").last.map(String.init) ?? "file"))"
    }

    private static func renameIntoPlace(_ temporary: String, _ path: String) throws(PublishingError) {
        if rename(temporary, path) != 0 {
            let failure = errno
            unlink(temporary)
            throw PublishingError("rename into place", path: path, errno: failure)
        }
    }

    public static func directory(of path: String) -> String { AtomicFile.parent(of: path) }
}
