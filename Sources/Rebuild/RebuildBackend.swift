/// How a buildinfo gets rebuilt. Every backend is a program run by the build stage with the
/// buildinfo and an empty output directory; it writes the rebuilt files there, and its exit status
/// says only whether it ran (0), failed to build (other), or could not run now (75).
public enum RebuildBackend: Sendable, Equatable {
    /// dpkg-source + dpkg-buildpackage on this host, from a pool of source packages.
    case local(pool: String)
    /// devscripts' debrebuild, which fetches the build environment from snapshot.debian.org.
    case debrebuild(builder: String)
    /// Any program: it gets the buildinfo path and the output directory as its last two arguments.
    case command([String])

    public var name: String {
        switch self {
        case .local: return "local"
        case .debrebuild: return "debrebuild"
        case .command: return "command"
        }
    }

    /// The program and arguments that rebuild `buildinfo` into `outputDirectory`. `rebuilder` is
    /// the path of this project's own executable, which runs the local backend as a subcommand.
    public func arguments(buildinfo: String, outputDirectory: String, buildDirectory: BuildLocation, rebuilder: String) -> [String] {
        switch self {
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
