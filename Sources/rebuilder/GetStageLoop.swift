import GetStage

extension StageCommand {
    /// `rebuilder stage get`: the get stage's daemon, printing as `rebuilder get` does.
    func runGetStage() throws {
        let (configuration, spool) = try global.openSpool(readOnly: false, writing: [.tmp, .new])
        let plan = try GetCommand.plan(configuration, requested: [])
        plan.runDaemon(spool: spool, once: once, progress: GetCommand.show) { printError("rebuilder: stage get: \($0)") }
    }
}
