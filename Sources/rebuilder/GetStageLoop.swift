import GetStage

extension StageCommand {
    /// `rebuilder stage get`: the get stage's daemon (GetDaemon), printing as `rebuilder get` does.
    func runGetStage() throws {
        let (configuration, spool) = try global.openSpool(readOnly: false)
        let plan = try GetCommand.plan(configuration, requested: [])
        GetDaemon(plan: plan, spool: spool).run(once: once, progress: GetCommand.show) { printError("rebuilder: stage get: \($0)") }
    }
}
