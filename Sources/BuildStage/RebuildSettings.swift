import OpenPGP
import Rebuild

/// How the build stage rebuilds and when it gives a verdict up as final.
public struct RebuildSettings: Sendable {
    public var backend: RebuildBackend
    /// Verifies clearsigned buildinfo files; when set, unsigned ones are refused.
    public var signatureVerifier: SignatureVerifier?
    /// Per distribution (a task's `distribution` label), a verifier that takes the place of
    /// `signatureVerifier` for its tasks: Debian's buildds and Qubes OS's builders sign with
    /// different keys.
    public var distributionVerifiers: [String: SignatureVerifier] = [:]
    /// Run the backend on this host over ssh instead of here.
    public var remote: RemoteHost?
    public var timeoutSeconds: Double?
    public var logLimitBytes: Int
    public var maxTaskBytes: Int
    /// Attempts before an unreproducible result is final: a build that keeps differing is not
    /// retried forever, but one differing run may be a fluke worth one more try.
    public var unreproducibleAttempts: Int
    /// Attempts before a failed build (ftbfs) is final.
    public var ftbfsAttempts: Int
    /// The most artifacts a buildinfo may list: each is hashed, judged and recorded.
    public var maxArtifacts: Int = 5000
    public var buildPaths: BuildPathPolicy
    /// Where the distribution's own binary packages are, to run diffoscope against; nil: no diffoscope.
    public var shippedPackages: String?
    public var diffoscopeTimeoutSeconds: Double
    public var diffoscopeLimitBytes: Int
    /// This program's own path, for backends it runs as a subcommand.
    public var rebuilderExecutable: String
    /// The log keeper's socket ([logkeeper] socket): each build's output is streamed there as it
    /// runs; nil: builds are logged only in the task's records.
    public var logKeeperSocket: String?
    /// Builds on this host run as this user ([stage.build] build-user); nil: as the stage's.
    public var buildUser: BuildUser?

    public init(backend: RebuildBackend, signatureVerifier: SignatureVerifier? = nil, remote: RemoteHost? = nil, timeoutSeconds: Double? = nil, logLimitBytes: Int = 64 << 20,
                maxTaskBytes: Int = 32 << 20, unreproducibleAttempts: Int = 2, ftbfsAttempts: Int = 2,
                buildPaths: BuildPathPolicy = BuildPathPolicy(), shippedPackages: String? = nil,
                diffoscopeTimeoutSeconds: Double = 600, diffoscopeLimitBytes: Int = 16 << 20, rebuilderExecutable: String) {
        self.backend = backend
        self.remote = remote
        self.signatureVerifier = signatureVerifier
        self.timeoutSeconds = timeoutSeconds
        self.logLimitBytes = logLimitBytes
        self.maxTaskBytes = maxTaskBytes
        self.unreproducibleAttempts = unreproducibleAttempts
        self.ftbfsAttempts = ftbfsAttempts
        self.buildPaths = buildPaths
        self.shippedPackages = shippedPackages
        self.diffoscopeTimeoutSeconds = diffoscopeTimeoutSeconds
        self.diffoscopeLimitBytes = diffoscopeLimitBytes
        self.rebuilderExecutable = rebuilderExecutable
    }
}
