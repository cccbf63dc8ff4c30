import Glibc

/// An exclusive flock on `<directory>/.lock`, held while a directory's files are read and rewritten
/// together (e.g. merging the links of a source's architectures). flock works across hosts on NFSv4.
public final class DirectoryLock {
    private let descriptor: Int32
    private var released = false

    /// Blocks until the lock is held; creates the directory and the lock file as needed.
    public init(directory: String) throws(PublishingError) {
        try AtomicFiles.makeDirectories(directory)
        let path = directory + "/.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        if fd < 0 { throw PublishingError("open lock", path: path, errno: errno) }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let failure = errno
            close(fd)
            throw PublishingError("flock", path: path, errno: failure)
        }
        descriptor = fd
    }

    /// Unlocks now rather than whenever the value goes away.
    public func release() {
        if !released { close(descriptor) }
        released = true
    }

    deinit { release() }
}
