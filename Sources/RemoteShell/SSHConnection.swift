import Foundation

/// How to reach a host with ssh (and rsync over ssh) from a stage: never asking anything (a stage
/// has no terminal), giving up on a dead host in time, and checking host keys strictly when a
/// known_hosts file is given.
public struct SSHConnection: Sendable, Equatable {
    /// `user@host` as ssh takes it.
    public var destination: String
    public var port: Int?
    public var identityFile: String?
    public var knownHostsFile: String?

    public init(destination: String, port: Int? = nil, identityFile: String? = nil, knownHostsFile: String? = nil) {
        self.destination = destination
        self.port = port
        self.identityFile = identityFile
        self.knownHostsFile = knownHostsFile
    }

    public var options: [String] {
        var options = ["-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-o", "ServerAliveInterval=30"]
        if let port { options += ["-p", String(port)] }
        if let identityFile { options += ["-i", identityFile, "-o", "IdentitiesOnly=yes"] }
        if let knownHostsFile { options += ["-o", "UserKnownHostsFile=\(knownHostsFile)", "-o", "StrictHostKeyChecking=yes"] }
        return options
    }

    /// `ssh OPTIONS DESTINATION`, to which a remote shell command is appended.
    public var shell: [String] { ["ssh"] + options + [destination] }

    /// rsync's `-e` value: the ssh command line with its options, quoted for rsync's splitting.
    public var rsyncRemoteShell: [String] { ["-e", (["ssh"] + options).map(ShellQuoting.quote).joined(separator: " ")] }
}

public enum ShellQuoting {
    /// One word for a POSIX shell: single-quoted unless it is plainly safe.
    public static func quote(_ word: String) -> String {
        if !word.isEmpty && word.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+=:@,".contains($0)) }) {
            return word
        }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
