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
    @Option(name: .customLong("build-dir"), help: "Where to unpack and build (the buildinfo's Build-Path).") var buildDirectory: String
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
        let backend = LocalBackend(pool: pool, buildDirectory: buildDirectory) { printError("rebuilder backend local: \($0)") }
        let status = backend.rebuild(parsed, into: output)
        if status != 0 { throw ExitCode(status) }
    }
}
