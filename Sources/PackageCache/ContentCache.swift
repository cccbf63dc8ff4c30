import Crypto
import FileSystem
import Foundation
import Glibc
import Hexadecimal

/// The host's cache of downloaded package files and prepared build environments, shared by every
/// build on the host (each process opens it on its own; nothing is held in memory between builds).
///
///     files/<sha256>           a file whose bytes hash to its name, written whole by rename
///     sha1/<sha1>              the sha256 of the file the snapshot service locates by this SHA-1
///     environments/<key>.tar   a prepared environment for one exact package set
///     bases/<key>.tar          a base environment (essential and build-essential as one package
///                              set had them), with bases/<key>.files naming the files it was made
///                              of ("<name> <sha256>" lines): other sets holding all those files
///                              get their environment layered on it
///     work/<random>/           one build's scratch, held by an flock of work/<random>.lock
///
/// Safe with several builds at once: a name appears only when its content is complete, and a build
/// uses a file through its own hard link in its work directory, so eviction (least recently used
/// first, by mtime, which each use refreshes) never pulls a file from under a running build. A
/// process killed mid-way leaves at most a hidden temporary or a work directory, which the next
/// sweep removes: never a partial file under a final name.
public struct ContentCache: Sendable {
    public let root: String
    /// Above this many bytes in files/, environments/ and bases/ together, the least recently used go.
    public var capacityBytes: Int

    public init(root: String, capacityBytes: Int) throws(FileSystemError) {
        self.root = root
        self.capacityBytes = capacityBytes
        for directory in [root, "\(root)/files", "\(root)/sha1", "\(root)/environments", "\(root)/bases", "\(root)/work"] {
            if mkdir(directory, 0o755) != 0 && errno != EEXIST { throw .lastError("mkdir", path: directory) }
        }
    }

    public func filePath(sha256: String) -> String { "\(root)/files/\(sha256)" }
    public func environmentPath(key: String) -> String { "\(root)/environments/\(key).tar" }

    /// The cached file the snapshot service locates by `sha1`, its use recorded; nil when absent.
    public func file(sha1: String) -> (sha256: String, path: String)? {
        guard let data = FileManager.default.contents(atPath: "\(root)/sha1/\(sha1)"),
              let sha256 = String(data: data, encoding: .utf8), Self.isDigest(sha256, length: 64) else { return nil }
        let path = filePath(sha256: sha256)
        guard touch(path) else { return nil }
        return (sha256, path)
    }

    /// The cached file with this sha256, its use recorded; nil when absent.
    public func file(sha256: String) -> String? {
        let path = filePath(sha256: sha256)
        return Self.isDigest(sha256, length: 64) && touch(path) ? path : nil
    }

    /// Stores `bytes`, already checked against `sha1`, under their sha256 and indexes them by `sha1`.
    @discardableResult
    public func store(_ bytes: [UInt8], sha1: String) throws(FileSystemError) -> (sha256: String, path: String) {
        let sha256 = Hex.lowercase(SHA256.hash(data: bytes))
        let path = filePath(sha256: sha256)
        if !touch(path) { try AtomicFile.write(bytes, to: path, durability: .none) }
        try AtomicFile.write(Array(sha256.utf8), to: "\(root)/sha1/\(sha1)", durability: .none)
        return (sha256, path)
    }

    /// The prepared environment for `key`, its use recorded; nil when absent.
    public func environment(key: String) -> String? {
        let path = environmentPath(key: key)
        return touch(path) ? path : nil
    }

    /// Moves a finished environment tarball (in a work directory of this cache) into place.
    public func storeEnvironment(_ tarball: String, key: String) throws(FileSystemError) {
        if rename(tarball, environmentPath(key: key)) != 0 { throw .lastError("rename", path: tarball) }
    }

    /// A base environment made only of files in `files` ("<name> <sha256>" lines), its use
    /// recorded: the one with the most files when several fit; nil when none does.
    public func base(within files: Set<String>) -> String? {
        var best: (path: String, count: Int)?
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/bases")) ?? [] where name.hasSuffix(".files") && !name.hasPrefix(".") {
            guard let text = FileManager.default.contents(atPath: "\(root)/bases/\(name)").map({ String(decoding: $0, as: UTF8.self) }) else { continue }
            let lines = text.split(separator: "\n").map(String.init)
            guard !lines.isEmpty, lines.allSatisfy(files.contains), lines.count > (best?.count ?? 0) else { continue }
            let tarball = "\(root)/bases/\(name.dropLast(".files".count)).tar"
            if FileManager.default.fileExists(atPath: tarball) { best = (tarball, lines.count) }
        }
        guard let best, touch(best.path) else { return nil }
        return best.path
    }

    /// Moves a finished base tarball (in a work directory of this cache) into place, with the
    /// files it was made of; the list goes first, so a base is never found without it.
    @discardableResult
    public func storeBase(_ tarball: String, files: [String]) throws(FileSystemError) -> String {
        let text = files.sorted().map { "\($0)\n" }.joined()
        let key = Hex.lowercase(SHA256.hash(data: Array(("base 1\n" + text).utf8)))
        try AtomicFile.write(Array(text.utf8), to: "\(root)/bases/\(key).files", durability: .none)
        let path = "\(root)/bases/\(key).tar"
        if rename(tarball, path) != 0 { throw .lastError("rename", path: tarball) }
        return path
    }

    /// A fresh scratch directory, held until `WorkDirectory.release()` or the process's end.
    public func workDirectory() throws(FileSystemError) -> WorkDirectory {
        try WorkDirectory(in: "\(root)/work")
    }

    /// Removes what processes that died left behind: temporaries of writes and unheld work
    /// directories.
    public func sweep() {
        for directory in ["files", "sha1", "environments", "bases"] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(directory)")) ?? [] where name.hasPrefix(".") {
                // `.<name>.<pid>.<n>.tmp`: the writer's pid is the second field from the end.
                let fields = name.split(separator: ".")
                if fields.count >= 4, let pid = pid_t(fields[fields.count - 3]), kill(pid, 0) != 0, errno == ESRCH {
                    unlink("\(root)/\(directory)/\(name)")
                }
            }
        }
        WorkDirectory.sweep(in: "\(root)/work")
    }

    /// Evicts least recently used files, environments and bases until the cache fits its capacity
    /// (a base's file list goes with it). One process evicts at a time; others skip it.
    public func evict() {
        let lock = open("\(root)/evict.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lock >= 0 else { return }
        defer { close(lock) }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else { return }
        var entries: [(path: String, size: Int, used: Double)] = []
        for directory in ["files", "environments", "bases"] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(directory)")) ?? []
            where !name.hasPrefix(".") && !name.hasSuffix(".files") {
                let path = "\(root)/\(directory)/\(name)"
                var status = stat()
                guard lstat(path, &status) == 0 else { continue }
                entries.append((path, Int(status.st_size), Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9))
            }
        }
        var total = entries.reduce(0) { $0 + $1.size }
        for entry in entries.sorted(by: { $0.used < $1.used }) where total > capacityBytes {
            if unlink(entry.path) == 0 { total -= entry.size }
            if entry.path.hasSuffix(".tar"), entry.path.contains("/bases/") { unlink(String(entry.path.dropLast(".tar".count)) + ".files") }
        }
    }

    /// Bytes in files/, environments/ and bases/.
    public func size() -> Int {
        var total = 0
        for directory in ["files", "environments", "bases"] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(directory)")) ?? [] {
                var status = stat()
                if lstat("\(root)/\(directory)/\(name)", &status) == 0 { total += Int(status.st_size) }
            }
        }
        return total
    }

    /// Marks `path` used now; false when it does not exist.
    private func touch(_ path: String) -> Bool {
        utimensat(AT_FDCWD, path, nil, AT_SYMLINK_NOFOLLOW) == 0
    }

    static func isDigest(_ text: String, length: Int) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
