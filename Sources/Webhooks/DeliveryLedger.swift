import Crypto
import FileSystem
import Foundation
import Glibc
import Hexadecimal

/// The deliveries already taken, one empty file each (`<state>/deliveries/<sha256 of the id>`,
/// made with O_EXCL), so a replayed delivery is refused after a restart too. Records older than
/// `keepSeconds` are removed now and then.
public struct DeliveryLedger: Sendable {
    public let directory: String
    public var keepSeconds: Double = 30 * 86_400

    public init(state: String) throws(FileSystemError) {
        directory = "\(state)/deliveries"
        for path in [state, directory] where mkdir(path, 0o750) != 0 && errno != EEXIST {
            throw .lastError("mkdir", path: path)
        }
    }

    /// True the first time `forge` sends `id`, false for every replay.
    public func firstSight(of id: String, forge: String) throws(FileSystemError) -> Bool {
        let name = Hex.lowercase(SHA256.hash(data: Array("\(forge)\n\(id)".utf8)))
        let fd = open("\(directory)/\(name)", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        if fd < 0 {
            if errno == EEXIST { return false }
            throw .lastError("create", path: "\(directory)/\(name)")
        }
        close(fd)
        return true
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
