import ArgumentParser
import Buildinfo
import Foundation
import Rebuild

struct BackendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backend", abstract: "Run a rebuild backend (the build stage runs these; useful by hand too).",
        subcommands: [LocalBackendCommand.self])
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
