/// A build host reached over ssh: the build stage copies the buildinfo in, runs the backend
/// there, and copies the output back, so adding a machine needs only sshd, rsync and the
/// backend's tools on it. Each task gets its own directory on the remote host, removed afterwards.
public struct RemoteHost: Sendable, Equatable {
    /// `user@host` as ssh takes it.
    public var destination: String
    public var port: Int?
    public var identityFile: String?
    public var knownHostsFile: String?
    /// Where task directories are made on the remote host.
    public var directory: String
    /// The `rebuilder` executable on the remote host, for backends it runs as a subcommand.
    public var rebuilder: String

    public init(destination: String, port: Int? = nil, identityFile: String? = nil, knownHostsFile: String? = nil,
                directory: String = "/var/tmp/rebuilder-remote", rebuilder: String = "/usr/local/bin/rebuilder") {
        self.destination = destination
        self.port = port
        self.identityFile = identityFile
        self.knownHostsFile = knownHostsFile
        self.directory = directory
        self.rebuilder = rebuilder
    }

    /// ssh options: never ask (a stage has no terminal), give up on a dead host in time.
    var sshOptions: [String] {
        var options = ["-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-o", "ServerAliveInterval=30"]
        if let port { options += ["-p", String(port)] }
        if let identityFile { options += ["-i", identityFile, "-o", "IdentitiesOnly=yes"] }
        if let knownHostsFile { options += ["-o", "UserKnownHostsFile=\(knownHostsFile)", "-o", "StrictHostKeyChecking=yes"] }
        return options
    }

    public enum StepRole: Sendable, Equatable {
        /// Its failure is infrastructure trouble (retry later).
        case transfer
        /// The backend itself: its exit status is the backend's (ssh's own failures are 255).
        case backend
    }

    public struct Step: Sendable, Equatable {
        public var role: StepRole
        public var arguments: [String]

        public init(role: StepRole, arguments: [String]) {
            self.role = role
            self.arguments = arguments
        }
    }

    /// The programs to run, in order, to rebuild `buildinfo` remotely into `outputDirectory`.
    public func steps(task: String, buildinfo: String, outputDirectory: String, buildDirectory: String,
                      backend: RebuildBackend) -> [Step] {
        let remoteTask = "\(directory)/\(task)"
        let remoteBuildinfo = "\(remoteTask)/\(task)"
        let remoteOutput = "\(remoteTask)/output"
        let shell = ["ssh"] + sshOptions + [destination]
        let rsync = ["rsync", "-a", "--delete", "-e", (["ssh"] + sshOptions).map(RemoteHost.quote).joined(separator: " ")]
        let backendArguments = backend.arguments(buildinfo: remoteBuildinfo, outputDirectory: remoteOutput,
                                                 buildDirectory: buildDirectory, rebuilder: rebuilder)
        return [
            Step(role: .transfer, arguments: shell + ["rm -rf -- \(RemoteHost.quote(remoteTask)) && mkdir -p -- \(RemoteHost.quote(remoteOutput))"]),
            Step(role: .transfer, arguments: rsync + [buildinfo, "\(destination):\(remoteBuildinfo)"]),
            Step(role: .backend, arguments: shell + [backendArguments.map(RemoteHost.quote).joined(separator: " ")]),
            Step(role: .transfer, arguments: rsync + ["\(destination):\(remoteOutput)/", outputDirectory + "/"]),
            Step(role: .transfer, arguments: shell + ["rm -rf -- \(RemoteHost.quote(remoteTask))"]),
        ]
    }

    /// One word for a POSIX shell: single-quoted unless it is plainly safe.
    static func quote(_ word: String) -> String {
        if !word.isEmpty && word.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+=:@,".contains($0)) }) {
            return word
        }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
