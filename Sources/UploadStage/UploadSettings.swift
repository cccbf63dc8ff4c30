import Spool
import RebuilderSettings
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

extension UploadSettings {
    /// From [publish], the upload keys of each distribution section and [stage.upload]'s limits.
    public init(configuration: RebuilderConfiguration) throws(ConfigurationProblem) {
        let publish = configuration.publish
        let stage = configuration.settings(for: .upload)
        var remotes: [String: Remote] = [:]
        for distribution in configuration.presentDistributions {
            guard let host = distribution.uploadHost else { continue }
            guard let basedir = distribution.uploadDirectory, basedir.hasPrefix("/") else {
                throw ConfigurationProblem("[\(distribution.name)] sets \(DistributionSettings.KeyName.uploadHost) but no absolute "
                                           + DistributionSettings.KeyName.uploadDirectory)
            }
            let key = distribution.uploadKey.map { $0.hasPrefix("/") ? $0 : "\(publish.sshDirectory)/\($0)" }
            remotes[distribution.name] = Remote(
                connection: SSHConnection(destination: host, port: publish.sshPort, identityFile: key, knownHostsFile: publish.knownHosts),
                basedir: basedir)
        }
        self.init(publishedRoot: publish.root, remotes: remotes, timeoutSeconds: stage.timeoutSeconds, logLimitBytes: stage.logLimitBytes)
    }
}
