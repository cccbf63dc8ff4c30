import ArgumentParser
import Logging
import OpenPGP
import RebuilderSettings
import SignedCommands
import StageDaemon

extension StageCommand {
    /// `rebuilder stage commands`: carries out the signed commands of [commands] directory/inbox.
    /// It requeues (failed/ and uploaded/ into new/), asks the get stage, and holds sources.
    func runCommandsStage() throws {
        let (configuration, spool) = try global.openSpool(readOnly: false, writing: [.new, .failed, .uploaded])
        let section = configuration.commands
        let configPath = global.config ?? RebuilderConfiguration.defaultPath
        guard let keyring = section.keyring else {
            printError("rebuilder: \(configPath): [commands] needs keyring, a GnuPG home holding only the keys that may sign commands")
            throw ExitCode(78)
        }
        let desk: CommandDesk
        do {
            let actions = CommandActions(spool: spool, configuredSpecs: Set(configuration.configuredSpecs.map(\.spec.raw)))
            desk = try CommandDesk(settings: section, verifier: try SignatureVerifier(home: keyring), actions: actions) { printError("commands: \($0)") }
        } catch {
            printError("rebuilder: \(configPath): [commands]: \(error)")
            throw ExitCode(78)
        }
        let stage = CommandStage(desk: desk, rescanSeconds: configuration.spool.rescanSeconds, once: once,
                                 watch: configuration.spool.watch && !noWatch)
        SignalWaiter.blockSignals()
        SignalWaiter.start { _ in stage.stop() }
        stage.run(logger: Logger(label: "rebuilder.commands"))
    }
}
