import ArgumentParser
import Buildinfo
import Foundation
import PackageCache
import Rebuild
import Sandbox
import Snapshot

struct BackendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backend", abstract: "Run a rebuild backend (the build stage runs these; useful by hand too).",
        subcommands: [SnapshotBackendCommand.self, LocalBackendCommand.self])
}

struct LocalBackendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local",
        abstract: "Rebuild a buildinfo on this host with dpkg-source and dpkg-buildpackage.",
        discussion: "Exit status: 0 built, 1 the build failed, 75 cannot run now (source not in the pool, build path busy).")

    @Option(help: "Directory of source packages (flat, or a Debian pool layout).") var pool: String
    @Option(name: .customLong("build-root"), help: "The trusted directory the build directory is below; no symbolic link is followed below it.")
    var buildRoot: String = "/build"
    @Option(name: .customLong("build-dir"), help: "Where to unpack and build (the buildinfo's Build-Path), below --build-root.") var buildDirectory: String
    @Argument(help: "The .buildinfo file.") var buildinfo: String
    @Argument(help: "Empty directory for the rebuilt files.") var output: String

    func run() throws {
        let parsed: Buildinfo
        do {
            parsed = try Buildinfo.parse(Array(try Data(contentsOf: URL(fileURLWithPath: buildinfo))), path: buildinfo)
        } catch {
            printError("rebuilder backend local: \(error)")
            throw ExitCode(LocalBackend.exitBuildFailed)
        }
        // Unbuffered, so these lines stay in order with the output of the programs it runs.
        let root = BuildLocation(root: buildRoot, relative: "").root
        guard buildDirectory.hasPrefix(root + "/"), buildDirectory.count > root.count + 1 else {
            printError("rebuilder backend local: --build-dir \(buildDirectory) is not below --build-root \(buildRoot)")
            throw ExitCode(64)
        }
        let location = BuildLocation(root: buildRoot, relative: String(buildDirectory.dropFirst(root.count + 1)))
        let backend = LocalBackend(pool: pool, location: location) { printError("rebuilder backend local: \($0)") }
        let status = backend.rebuild(parsed, into: output)
        if status != 0 { throw ExitCode(status) }
    }
}

struct SnapshotBackendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Rebuild a buildinfo in exactly the environment it records, from a snapshot service, in a sandbox.",
        discussion: """
            Resolves every Installed-Build-Depends entry and the source package through the snapshot service's \
            machine-readable API into the cache, makes the environment with mmdebstrap (or takes it from the cache), and \
            builds at the buildinfo's Build-Path in new user, mount, network and PID namespaces as an unprivileged user.
            Exit status: 0 built, 1 the build failed, 75 the environment cannot be made now (a package missing from the \
            snapshot, a file that does not match its hash, mmdebstrap or the sandbox failing).
            """)

    @Option(help: "Base URL of the snapshot service (snapshot.debian.org's API).") var snapshot: String
    @Option(name: .customLong("extra-repository"),
            help: "An apt repository for packages the snapshot lacks: `deb [signed-by=KEYRING] URL SUITE COMPONENT...` (repeatable).")
    var extraRepositories: [String] = []
    @Option(help: "The cache directory shared by the builds on this host.") var cache: String
    @Option(name: .customLong("cache-size"), help: "Bytes the cache may hold before the least recently used files go.")
    var cacheSize: Int = 20 << 30
    @Option(help: "The suite name given to mmdebstrap.") var suite: String = "bookworm"
    @Option(help: "Bytes of the build's tmpfs (environment, source and output).") var disk: Int = SandboxLimits().diskBytes
    @Option(help: "Bytes of address space per build process.") var memory: Int = SandboxLimits().memoryBytes
    @Option(help: "Processes of the build user.") var processes: Int = SandboxLimits().processes
    @Option(name: .customLong("build-dir"), help: "The buildinfo's Build-Path: where the source is unpacked inside the sandbox.")
    var buildDirectory: String
    @Argument(help: "The .buildinfo file.") var buildinfo: String
    @Argument(help: "Empty directory for the rebuilt files.") var output: String

    func run() throws {
        let log: @Sendable (String) -> Void = { printError("rebuilder backend snapshot: \($0)") }
        let parsed: Buildinfo
        do {
            parsed = try Buildinfo.parse(Array(try Data(contentsOf: URL(fileURLWithPath: buildinfo))), path: buildinfo)
        } catch {
            log("\(error)")
            throw ExitCode(LocalBackend.exitBuildFailed)
        }
        guard buildDirectory.hasPrefix("/"), !buildDirectory.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else {
            log("--build-dir \(buildDirectory) is not an absolute path without . or ..")
            throw ExitCode(64)
        }
        let backend: SnapshotBackend
        do {
            backend = SnapshotBackend(
                service: SnapshotService(base: snapshot), repositories: try extraRepositories.map { line throws(SnapshotError) in try AptRepository(line: line) },
                cache: try ContentCache(root: cache, capacityBytes: cacheSize),
                sandbox: try BuildSandbox(limits: SandboxLimits(diskBytes: disk, memoryBytes: memory, processes: processes)),
                suite: suite, buildPath: buildDirectory, log: log)
        } catch {
            log("\(error)")
            throw ExitCode(LocalBackend.exitTryLater)
        }
        let status = backend.rebuild(parsed, into: output)
        if status != 0 { throw ExitCode(status) }
    }
}
