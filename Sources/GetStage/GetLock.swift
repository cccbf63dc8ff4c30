import Glibc
import Spool

/// `get/.lock`, flocked for a whole run: runs of the get stage take turns. The kernel drops the
/// lock when the process dies, so a killed run never blocks the next.
struct GetLock {
    private let fd: Int32

    init(spool: Spool) throws {
        let directory = "\(spool.root)/get"
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw GetError(subject: directory, reason: String(cString: strerror(errno)))
        }
        fd = open("\(directory)/.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw GetError(subject: "\(directory)/.lock", reason: String(cString: strerror(errno))) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(fd)
                throw GetError(subject: "\(directory)/.lock", reason: String(cString: strerror(errno)))
            }
        }
    }

    func release() { close(fd) }
}
