import Foundation
import Glibc

/// A real sshd on 127.0.0.1 with throwaway host and user keys, stopped by PID.
final class SshdFixture {
    let directory: String
    let port: Int
    let userKey: String
    let knownHosts: String
    private let sshdPID: pid_t

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") }

    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        userKey = directory + "/user_key"
        knownHosts = directory + "/known_hosts"
        for key in [directory + "/host_key", userKey] {
            try SshdFixture.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key])
        }
        try FileManager.default.copyItem(atPath: userKey + ".pub", toPath: directory + "/authorized_keys")

        // sshd daemonizes once it listens, so no child of this process outlives the start; it is
        // stopped by the PID it writes. (A long-lived Foundation Process child here kept later
        // Process instances from being reaped.)
        var chosen: Int?
        for _ in 0..<10 where chosen == nil {
            let candidate = Int.random(in: 20000...60000)
            try """
            Port \(candidate)
            ListenAddress 127.0.0.1
            HostKey \(directory)/host_key
            PidFile \(directory)/sshd.pid
            AuthorizedKeysFile \(directory)/authorized_keys
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            """.write(toFile: directory + "/sshd_config", atomically: true, encoding: .utf8)
            if (try? SshdFixture.run("/usr/sbin/sshd", ["-f", directory + "/sshd_config", "-E", directory + "/sshd.log"])) != nil,
               SshdFixture.waitForListener(port: candidate) {
                chosen = candidate
            }
        }
        // sshd listens before it forks; the daemon child writes the PID file a moment later (it
        // may be seen created but still empty).
        let pidDeadline = Date().addingTimeInterval(20)
        var pid: pid_t?
        while chosen != nil && pid == nil && Date() < pidDeadline {
            pid = (try? String(contentsOfFile: directory + "/sshd.pid", encoding: .utf8))
                .flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if pid == nil { Thread.sleep(forTimeInterval: 0.02) }
        }
        guard let chosen, let pid else {
            let log = (try? String(contentsOfFile: directory + "/sshd.log", encoding: .utf8)) ?? "no log"
            throw FixtureError("sshd did not start on 127.0.0.1: \(log.suffix(2000))")
        }
        port = chosen
        sshdPID = pid
        let hostKey = try String(contentsOfFile: directory + "/host_key.pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        try "[127.0.0.1]:\(port) \(hostKey)\n".write(toFile: knownHosts, atomically: true, encoding: .utf8)
    }

    deinit { kill(sshdPID, SIGTERM) }

    static func waitForListener(port: Int) -> Bool {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if connected == 0 { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FixtureError("\(executable) exited \(process.terminationStatus)") }
    }
}
