import FileSystem
import Foundation
import Glibc

/// One build's scratch directory in the cache, held by an flock of `<path>.lock` for as long as
/// the process lives: a sweep removes only directories whose lock it can take, so a crashed
/// build's scratch goes and a running one's stays.
public final class WorkDirectory: @unchecked Sendable {
    public let path: String
    private var lock: Int32

    init(in parent: String) throws(FileSystemError) {
        let name = "\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        path = "\(parent)/\(name)"
        lock = open(path + ".lock", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if lock < 0 { throw .lastError("open", path: path + ".lock") }
        guard flock(lock, LOCK_EX) == 0, mkdir(path, 0o755) == 0 else {
            let error = FileSystemError.lastError("mkdir", path: path)
            close(lock)
            unlink(path + ".lock")
            throw error
        }
    }

    /// Removes the directory and lets go of it.
    public func release() {
        guard lock >= 0 else { return }
        try? FileManager.default.removeItem(atPath: path)
        unlink(path + ".lock")
        close(lock)
        lock = -1
    }

    deinit { release() }

    static func sweep(in parent: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where name.hasSuffix(".lock") {
            let lockPath = "\(parent)/\(name)"
            let fd = open(lockPath, O_RDWR | O_CLOEXEC)
            guard fd >= 0 else { continue }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                try? FileManager.default.removeItem(atPath: String(lockPath.dropLast(".lock".count)))
                unlink(lockPath)
            }
            close(fd)
        }
    }
}
