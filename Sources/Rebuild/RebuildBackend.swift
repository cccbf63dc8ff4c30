/// How a buildinfo gets rebuilt. Every backend is a program run by the build stage with the
/// buildinfo and an empty output directory; it writes the rebuilt files there, and its exit status
/// says only whether it ran (0), failed to build (other), or could not run now (75).
public enum RebuildBackend: Sendable, Equatable {
    /// dpkg-source + dpkg-buildpackage on this host, from a pool of source packages.
    case local(pool: String)
    /// The environment the buildinfo records, from a snapshot service, and the build in a sandbox.
    case snapshot(SnapshotOptions)
    /// devscripts' debrebuild, which fetches the build environment from snapshot.debian.org.
    case debrebuild(builder: String)
    /// Any program: it gets the buildinfo path and the output directory as its last two arguments.
    case command([String])

    public var name: String {
        switch self {
        case .local: return "local"
        case .snapshot: return "snapshot"
        case .debrebuild: return "debrebuild"
        case .command: return "command"
        }
    }

    /// Whether the build runs on this host itself, outside any sandbox: then a buildinfo's
    /// Environment may only choose what runs when its signature was verified.
    public var buildsOnHost: Bool {
        switch self {
        case .snapshot: return false
        case .debrebuild(let builder): return builder == "none" || builder == "dpkg"
        case .local, .command: return true
        }
    }

    /// The program and arguments that rebuild `buildinfo` into `outputDirectory`. `rebuilder` is
    /// the path of this project's own executable, which runs the local and snapshot backends as
    /// subcommands; `distribution` is the task's, which may have a snapshot service of its own.
    public func arguments(buildinfo: String, outputDirectory: String, buildDirectory: BuildLocation, rebuilder: String,
                          distribution: String? = nil) -> [String] {
        switch self {
        case .snapshot(let options):
            return [rebuilder, "backend", "snapshot"] + options.arguments(distribution: distribution)
                + ["--build-dir", buildDirectory.path, buildinfo, outputDirectory]
        case .local(let pool):
            return [rebuilder, "backend", "local", "--pool", pool, "--build-root", buildDirectory.root, "--build-dir", buildDirectory.path,
                    buildinfo, outputDirectory]
        case .debrebuild(let builder):
            return ["debrebuild", "--builder=\(builder)", "--respect-build-path", "--buildresults=\(outputDirectory)", buildinfo]
        case .command(let words):
            return words + [buildinfo, outputDirectory]
        }
    }
}
