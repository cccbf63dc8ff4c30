import RemoteShell

/// Where each distribution's published projects go: the original's `repo-remote-ssh-host`,
/// `repo-remote-ssh-basedir` and `repo-ssh-key`, with the connection details of [publish].
public struct UploadSettings: Sendable {
    public struct Remote: Sendable, Equatable {
        public var connection: SSHConnection
        /// A project's tree goes to `<basedir>/<project>/` on the host.
        public var basedir: String

        public init(connection: SSHConnection, basedir: String) {
            self.connection = connection
            self.basedir = basedir
        }
    }

    public var publishedRoot: String
    /// Distribution section name → its upload host; a distribution missing here is not uploaded.
    public var remotes: [String: Remote]
    public var timeoutSeconds: Double?
    public var logLimitBytes: Int

    public init(publishedRoot: String, remotes: [String: Remote], timeoutSeconds: Double?, logLimitBytes: Int) {
        self.publishedRoot = publishedRoot
        self.remotes = remotes
        self.timeoutSeconds = timeoutSeconds
        self.logLimitBytes = logLimitBytes
    }
}
