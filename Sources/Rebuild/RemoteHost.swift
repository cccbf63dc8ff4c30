import RemoteShell

/// A build host reached over ssh: the build stage copies the buildinfo in, runs the backend
/// there, and copies the output back, so adding a machine needs only sshd, rsync and the
/// backend's tools on it. Each task gets its own directory on the remote host, removed afterwards.
public struct RemoteHost: Sendable, Equatable {
    public var connection: SSHConnection
    public var destination: String { connection.destination }
    /// Where task directories are made on the remote host.
    public var directory: String
    /// The `rebuilder` executable on the remote host, for backends it runs as a subcommand.
    public var rebuilder: String

    public init(destination: String, port: Int? = nil, identityFile: String? = nil, knownHostsFile: String? = nil,
                directory: String = "/var/tmp/rebuilder-remote", rebuilder: String = "/usr/local/bin/rebuilder") {
        connection = SSHConnection(destination: destination, port: port, identityFile: identityFile, knownHostsFile: knownHostsFile)
        self.directory = directory
        self.rebuilder = rebuilder
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
    public func steps(task: String, buildinfo: String, outputDirectory: String, buildDirectory: BuildLocation,
                      backend: RebuildBackend, distribution: String? = nil) -> [Step] {
        let remoteTask = "\(directory)/\(task)"
        let remoteBuildinfo = "\(remoteTask)/\(task)"
        let remoteOutput = "\(remoteTask)/output"
        let shell = connection.shell
        let rsync = ["rsync", "-a", "--delete"] + connection.rsyncRemoteShell
        let backendArguments = backend.arguments(buildinfo: remoteBuildinfo, outputDirectory: remoteOutput,
                                                 buildDirectory: buildDirectory, rebuilder: rebuilder, distribution: distribution)
        return [
            Step(role: .transfer, arguments: shell + ["rm -rf -- \(ShellQuoting.quote(remoteTask)) && mkdir -p -- \(ShellQuoting.quote(remoteOutput))"]),
            Step(role: .transfer, arguments: rsync + [buildinfo, "\(destination):\(remoteBuildinfo)"]),
            Step(role: .backend, arguments: shell + [backendArguments.map(ShellQuoting.quote).joined(separator: " ")]),
            Step(role: .transfer, arguments: rsync + ["\(destination):\(remoteOutput)/", outputDirectory + "/"]),
            Step(role: .transfer, arguments: shell + ["rm -rf -- \(ShellQuoting.quote(remoteTask))"]),
        ]
    }
}
