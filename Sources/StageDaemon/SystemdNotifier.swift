import Glibc

/// The sd_notify datagram protocol, which needs no library: one datagram per message to the
/// Unix socket named by $NOTIFY_SOCKET ('@' for the abstract namespace). Silent outside systemd.
public struct SystemdNotifier: Sendable {
    let socketPath: String?
    /// How often systemd wants a WATCHDOG=1 (half its WATCHDOG_USEC), if it wants one.
    let watchdogInterval: Double?

    public init() {
        socketPath = ProcessEnvironment.value("NOTIFY_SOCKET")
        let pidMatches = ProcessEnvironment.value("WATCHDOG_PID").map { Int32($0) == getpid() } ?? true
        watchdogInterval = ProcessEnvironment.value("WATCHDOG_USEC").flatMap { Double($0) }
            .flatMap { pidMatches && $0 > 0 ? $0 / 2e6 : nil }
    }

    public func notify(_ message: String) {
        guard let socketPath, !socketPath.isEmpty else { return }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count)
        let payload = Array(message.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                payload.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, socketAddress, length) }
            }
        }
    }
}
