import Buildinfo

/// One build upstream offers: a buildinfo file to rebuild.
public struct UpstreamBuild: Hashable, Sendable {
    /// The source package name, e.g. `bash`.
    public var source: String
    /// The build's version: a binNMU's `+bN` included, the epoch when the upstream index knows it
    /// (file names never carry one).
    public var version: DebianVersion
    /// From the file name: `amd64`, `all`.
    public var architecture: String
    /// `bash_5.1-3+b1_amd64.buildinfo`: also the spool task id the getter proposes.
    public var fileName: String
    /// Where the file is, relative to the repository's base URL:
    /// `/buildinfo-pool/b/bash/bash_5.1-3+b1_amd64.buildinfo`, or for Qubes OS
    /// `pool/main/q/qubes-core-agent/qubes-core-agent_4.1.7-1+deb11u1_amd64.buildinfo`.
    public var path: String

    public init(source: String, version: DebianVersion, architecture: String, fileName: String, path: String) {
        self.source = source
        self.version = version
        self.architecture = architecture
        self.fileName = fileName
        self.path = path
    }
}
