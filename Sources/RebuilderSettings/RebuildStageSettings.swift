/// `[stage.build]` keys that choose and tune the rebuild (the original rebuilder.conf's `snapshot`
/// stays in [common]/[debian]).
public struct RebuildStageSettings: Sendable, Equatable {
    public enum Backend: String, Sendable, CaseIterable { case snapshot, local, debrebuild, command }

    /// key: backend — snapshot, local, debrebuild or command (command uses the stage's `command`).
    public var backend: Backend = .snapshot
    /// key: cache — the snapshot backend's cache of package files and environments on the build host.
    public var cache: String = "/var/cache/rebuilder"
    /// key: cache-size — bytes the cache may hold; the least recently used files go first.
    public var cacheBytes: Int = 20 << 30
    /// key: environment-suite — the suite name mmdebstrap gets (it chooses defaults such as merged /usr by it).
    public var environmentSuite: String = "bookworm"
    /// key: build-disk — bytes of the sandbox's tmpfs (environment, source tree and results).
    public var buildDiskBytes: Int = 16 << 30
    /// key: build-memory — bytes of address space per build process in the sandbox.
    public var buildMemoryBytes: Int = 16 << 30
    /// key: build-processes — processes the sandbox's build user may run.
    public var buildProcesses: Int = 4096
    /// key: pool — directory of source packages (.dsc and their files) for the local backend.
    public var pool: String? = nil
    /// key: builder — debrebuild's --builder (none, sbuild, mmdebstrap, dpkg, sbuild+unshare).
    public var builder: String = "mmdebstrap"
    /// key: build-root — a buildinfo's Build-Path is used only below this directory.
    public var buildRoot: String = "/build/"
    /// key: unreproducible-attempts — builds before an unreproducible result is final.
    public var unreproducibleAttempts: Int = 2
    /// key: ftbfs-attempts — builds before a failure to build is final.
    public var ftbfsAttempts: Int = 2
    /// key: shipped-packages — directory with the distribution's own .debs, for diffoscope.
    public var shippedPackages: String? = nil
    /// key: max-artifacts — files a buildinfo may list in Checksums-Sha256; beyond it the task fails
    /// (every artifact is hashed, compared and recorded).
    public var maxArtifacts: Int = 5000
    /// key: diffoscope-timeout — seconds diffoscope may take per artifact.
    public var diffoscopeTimeoutSeconds: Double = 600
    /// key: buildinfo-keyring — a GnuPG home whose public keys may sign buildinfo files; when set,
    /// unsigned buildinfo files and bad signatures are refused.
    public var buildinfoKeyring: String? = nil
    /// key: remote — `user@host` to build on over ssh instead of this host.
    public var remote: String? = nil
    /// key: remote-port
    public var remotePort: Int? = nil
    /// key: remote-key — the ssh private key for the build host.
    public var remoteKey: String? = nil
    /// key: remote-known-hosts — a known_hosts file holding the build host's key (checked strictly).
    public var remoteKnownHosts: String? = nil
    /// key: remote-directory — where task directories are made on the build host.
    public var remoteDirectory: String = "/var/tmp/rebuilder-remote"
    /// key: remote-rebuilder — the rebuilder executable on the build host (for the local backend).
    public var remoteRebuilder: String = "/usr/local/bin/rebuilder"
    /// key: build-user — the user builds on this host run as (the backend is started through
    /// setpriv): not the stage's own, so a build can neither reach the spool's other directories
    /// nor hand a task on. The stage's user must be in this user's group.
    public var buildUser: String? = nil

    public init() {}

    static let keys = ["backend", "cache", "cache-size", "environment-suite", "build-disk", "build-memory", "build-processes", "pool", "builder", "build-root", "unreproducible-attempts", "ftbfs-attempts",
                       "shipped-packages", "max-artifacts", "diffoscope-timeout", "buildinfo-keyring", "remote", "remote-port", "remote-key",
                       "remote-known-hosts", "remote-directory", "remote-rebuilder", "build-user"]

    mutating func apply(_ key: String, _ value: SettingValue) throws {
        switch key {
        case "backend":
            guard let chosen = Backend(rawValue: value.text) else {
                throw value.error(expected: Backend.allCases.map(\.rawValue).joined(separator: ", "))
            }
            backend = chosen
        case "cache": cache = try value.absolutePath()
        case "cache-size": cacheBytes = try value.byteSize()
        case "environment-suite":
            guard !value.text.isEmpty, value.text.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }) else {
                throw value.error(expected: "a suite name such as bookworm")
            }
            environmentSuite = value.text
        case "build-disk": buildDiskBytes = try value.byteSize()
        case "build-memory": buildMemoryBytes = try value.byteSize()
        case "build-processes": buildProcesses = try value.wholeNumber(in: 16...1_000_000)
        case "pool": pool = try value.absolutePath()
        case "builder":
            guard ["none", "sbuild", "mmdebstrap", "dpkg", "sbuild+unshare"].contains(value.text) else {
                throw value.error(expected: "none, sbuild, mmdebstrap, dpkg or sbuild+unshare")
            }
            builder = value.text
        case "build-root": buildRoot = try value.absolutePath()
        case "unreproducible-attempts": unreproducibleAttempts = try value.wholeNumber(in: 1...100)
        case "ftbfs-attempts": ftbfsAttempts = try value.wholeNumber(in: 1...100)
        case "shipped-packages": shippedPackages = try value.absolutePath()
        case "max-artifacts": maxArtifacts = try value.wholeNumber(in: 1...1_000_000)
        case "diffoscope-timeout": diffoscopeTimeoutSeconds = try value.seconds(allowingZero: false)
        case "buildinfo-keyring": buildinfoKeyring = try value.absolutePath()
        case "remote":
            guard !value.text.isEmpty, !value.text.hasPrefix("-"), !value.text.contains(where: \.isWhitespace) else {
                throw value.error(expected: "an ssh destination such as rebuilder@builder1.example.org")
            }
            remote = value.text
        case "remote-port": remotePort = try value.wholeNumber(in: 1...65535)
        case "remote-key": remoteKey = try value.absolutePath()
        case "remote-known-hosts": remoteKnownHosts = try value.absolutePath()
        case "remote-directory": remoteDirectory = try value.absolutePath()
        case "remote-rebuilder": remoteRebuilder = try value.absolutePath()
        case "build-user":
            guard !value.text.isEmpty, !value.text.hasPrefix("-"), value.text.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw value.error(expected: "a user name")
            }
            buildUser = value.text
        default: preconditionFailure("not a rebuild key: \(key)")
        }
    }
}
