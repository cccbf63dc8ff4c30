import ArgumentParser
import Spool

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the spool directories (existing ones, their owners and modes are kept).",
        discussion: "With --owners, also set owners and modes for one user per stage (spool-layout.md, \"Owners\"): the spool, "
            + "the published tree, the keys, the log keeper's directories and the cache, as the configuration names them.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Set owners and modes for one user per stage (run as root; the users come from systemd/sysusers.d/rebuilder.conf).")
    var owners = false
    @Option(help: "The users' common prefix: PREFIX-get, PREFIX-build, PREFIX-builder, PREFIX-logkeeper, PREFIX-attest, PREFIX-report, PREFIX-upload, and the group PREFIX.")
    var ownerPrefix = "rebuilder"

    func run() throws {
        let configuration = try global.configuration()
        let spool = Spool(root: global.spool ?? configuration.spool.root)
        do {
            try spool.create()
            if owners {
                let ownership = Ownership(prefix: ownerPrefix)
                try ownership.apply(ownership.entries(configuration, spool: spool))
            }
        } catch {
            printError("rebuilder: \(error)")
            throw ExitCode(74)
        }
        print(spool.root)
    }
}
