import Spool

/// Starts `rebuilder stage NAME --pass-through` daemons on a spool.
struct StageLauncher: Sendable {
    let rebuilder: String
    let config: String?

    static let pipeline = StageRoute.all.map(\.stage)

    func start(_ stage: Stage, spool: Spool) throws -> DaemonProcess {
        var arguments = ["stage", stage.name, "--spool", spool.root, "--pass-through"]
        if let config { arguments += ["--config", config] }
        return try DaemonProcess.start(stage: stage, executable: rebuilder, arguments: arguments)
    }

    /// The four stages, each ready (inbox watched, workers started) when this returns.
    func startPipeline(spool: Spool) throws -> [DaemonProcess] {
        var daemons: [DaemonProcess] = []
        do {
            for stage in StageLauncher.pipeline { daemons.append(try start(stage, spool: spool)) }
            for daemon in daemons { try daemon.waitUntilReady() }
        } catch {
            for daemon in daemons { daemon.stop() }
            throw error
        }
        return daemons
    }
}
