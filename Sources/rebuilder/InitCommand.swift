import ArgumentParser
import Spool

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the spool directories (existing ones, their owners and modes are kept).")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let configuration = try global.configuration()
        let spool = Spool(root: global.spool ?? configuration.spool.root)
        do {
            try spool.create()
        } catch {
            printError("rebuilder: \(error)")
            throw ExitCode(74)
        }
        print(spool.root)
    }
}
