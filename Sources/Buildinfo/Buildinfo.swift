/// A Debian `.buildinfo` file (deb-buildinfo(5)), as written by dpkg-genbuildinfo and signed by buildds.
public struct Buildinfo: Sendable, Equatable {
    public var format: String
    /// The source package name: `bash` from `Source: bash (5.1-3)`.
    public var source: String
    /// The version in parentheses after the source name (binNMUs), else `version`.
    public var sourceVersion: DebianVersion
    /// The binary version: `5.1-3+b1`.
    public var version: DebianVersion
    /// `Binary`, split on white space (empty for a source-only build, which has no `Binary` field).
    public var binaries: [String]
    /// `Architecture`, split on white space, as written (dpkg sorts it: `all amd64 source`).
    public var architectures: [String]
    public var checksumsSha256: [ArtifactChecksum]
    public var checksumsSha1: [ArtifactChecksum]
    public var checksumsMd5: [ArtifactChecksum]
    public var buildOrigin: String?
    public var buildArchitecture: String?
    public var buildPath: String?
    public var buildDate: String?
    public var installedBuildDepends: [PackageVersion]
    public var environment: [EnvironmentVariable]
    /// The changelog entry of a binNMU, lines joined with LF (` .` lines are empty lines).
    public var binaryOnlyChanges: String?
    /// nil for unsigned files. Present means well-formed, not verified.
    public var signature: CleartextSignature?

    public init(
        format: String = "1.0", source: String, sourceVersion: DebianVersion? = nil, version: DebianVersion,
        binaries: [String], architectures: [String], checksumsSha256: [ArtifactChecksum],
        checksumsSha1: [ArtifactChecksum] = [], checksumsMd5: [ArtifactChecksum] = [],
        buildOrigin: String? = nil, buildArchitecture: String? = nil, buildPath: String? = nil,
        buildDate: String? = nil, installedBuildDepends: [PackageVersion] = [],
        environment: [EnvironmentVariable] = [], binaryOnlyChanges: String? = nil,
        signature: CleartextSignature? = nil
    ) {
        self.format = format
        self.source = source
        self.sourceVersion = sourceVersion ?? version
        self.version = version
        self.binaries = binaries
        self.architectures = architectures
        self.checksumsSha256 = checksumsSha256
        self.checksumsSha1 = checksumsSha1
        self.checksumsMd5 = checksumsMd5
        self.buildOrigin = buildOrigin
        self.buildArchitecture = buildArchitecture
        self.buildPath = buildPath
        self.buildDate = buildDate
        self.installedBuildDepends = installedBuildDepends
        self.environment = environment
        self.binaryOnlyChanges = binaryOnlyChanges
        self.signature = signature
    }

    /// The name Debian gives this file, `<source>_<version without epoch>_<arch>.buildinfo`, where
    /// `<arch>` is chosen as dpkg-genbuildinfo does: the host architecture if the build made
    /// architecture-dependent packages (the first `Architecture` entry other than `all` and
    /// `source`), else `all` if it made `all` packages, else `source`.
    /// `Architecture: all amd64` → `_amd64`; `all` → `_all`; `source` → `_source`.
    public var canonicalFileName: String {
        let arch = architectures.first { $0 != "all" && $0 != "source" }
            ?? (architectures.contains("all") ? "all" : "source")
        return "\(source)_\(version.withoutEpoch)_\(arch).buildinfo"
    }
}
