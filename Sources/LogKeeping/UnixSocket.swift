import CLinuxCalls
import Glibc

/// The few Unix-domain socket calls the keeper and its senders make, with errors as sentences.
enum UnixSocket {
    static func address(_ path: String) throws(LogStreamError) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw LogStreamError("socket path \(path) is too long for a Unix socket")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        return address
    }

    static func stream() throws(LogStreamError) -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw LogStreamError("socket: \(String(cString: strerror(errno)))") }
        return descriptor
    }

    static func connect(to path: String) throws(LogStreamError) -> Int32 {
        var address = try address(path)
        let descriptor = try stream()
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw LogStreamError("cannot connect to the log keeper at \(path): \(reason)")
        }
        return descriptor
    }

    /// Listens at `path`, replacing a socket left there by an earlier run (never anything else),
    /// with `mode` on the socket file: who may connect is decided by the file's owner and group.
    static func listen(at path: String, mode: mode_t) throws(LogStreamError) -> Int32 {
        var info = stat()
        if lstat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFSOCK else { throw LogStreamError("\(path) exists and is not a socket") }
            unlink(path)
        }
        var address = try address(path)
        let descriptor = try stream()
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, chmod(path, mode) == 0, Glibc.listen(descriptor, 128) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw LogStreamError("cannot listen at \(path): \(reason)")
        }
        return descriptor
    }

    static func setTimeout(_ descriptor: Int32, option: Int32, seconds: Int) {
        var limit = timeval(tv_sec: seconds, tv_usec: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, option, &limit, socklen_t(MemoryLayout<timeval>.size))
    }
}

/// Who is at the other end of a connection, as the kernel recorded it when the peer connected.
public struct PeerCredentials: Sendable, Equatable, CustomStringConvertible {
    public var pid: pid_t
    public var uid: uid_t
    public var gid: gid_t

    init(socket descriptor: Int32) throws(LogStreamError) {
        var (pid, uid, gid): (pid_t, uid_t, gid_t) = (0, 0, 0)
        guard linux_peer_credentials(descriptor, &pid, &uid, &gid) == 0 else {
            throw LogStreamError("SO_PEERCRED: \(String(cString: strerror(errno)))")
        }
        (self.pid, self.uid, self.gid) = (pid, uid, gid)
    }

    public var description: String { "pid \(pid) uid \(uid) gid \(gid)" }
}
