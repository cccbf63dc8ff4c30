import Crypto
import Foundation
import Glibc
import Hexadecimal

/// Things already seen, one small file each (`<directory>/<sha256 of the key>`, made with
/// O_EXCL and flushed), so a replay is recognised after a restart too: webhook deliveries by
/// their id, signed commands by their signer and text. Each record holds a note from its first
/// sighting (which file it came in), so an interrupted first sighting can tell itself from a
/// replay. Records older than `keepSeconds` are removed by `prune`. `durable` records are flushed
/// before they count (a signed command must not run twice after a power cut); others are not (a
/// webhook delivery taken twice only asks the get stage for one more look).
public struct SightingLedger: Sendable {
    public let directory: String
    public var keepSeconds: Double
    public var durable: Bool

    public enum Sighting: Sendable, Equatable {
        case first
        /// Seen before; the note the first sighting left.
        case again(note: String)
    }

    public init(directory: String, keepSeconds: Double, durable: Bool) throws(FileSystemError) {
        self.directory = directory
        self.keepSeconds = keepSeconds
        self.durable = durable
        if mkdir(directory, 0o750) != 0 && errno != EEXIST { throw .lastError("mkdir", path: directory) }
    }

    /// Records `key` with `note`, or says it was recorded before and with what.
    public func sight(_ key: String, note: String = "") throws(FileSystemError) -> Sighting {
        let path = "\(directory)/\(Hex.lowercase(SHA256.hash(data: Array(key.utf8))))"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o640)
        if fd < 0 {
            guard errno == EEXIST else { throw .lastError("create", path: path) }
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: path))).map { Array($0.prefix(4096)) } ?? []
            return .again(note: String(decoding: bytes, as: UTF8.self))
        }
        defer { close(fd) }
        let bytes = Array(note.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, !durable || fsync(fd) == 0 else { throw .lastError("write", path: path) }
        return .first
    }

    /// Removes records older than `keepSeconds`.
    public func prune(now: Double = Date().timeIntervalSince1970) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            var info = stat()
            let path = "\(directory)/\(name)"
            if stat(path, &info) == 0, Double(info.st_mtim.tv_sec) < now - keepSeconds { unlink(path) }
        }
    }
}
