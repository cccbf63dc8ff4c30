import ArgumentParser
import Configuration
import Logging
import Spool
import StageDaemon

struct StageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage", abstract: "Run one stage daemon: build, attest, report or upload.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The stage: \(StageRoute.all.map(\.stage).joined(separator: ", ")).")
    var name: String

    @Flag(help: "Drain the tasks due now, then exit.") var once = false
    @Flag(name: .customLong("no-watch"), help: "No inotify: rescans alone (as [spool] watch = false).") var noWatch = false
    @Flag(name: .customLong("pass-through"), help: "Hand every task on without running the stage's command (benchmarks, draining).")
    var passThrough = false
    @Option(help: "Tasks worked on at once (overrides [stage.NAME] concurrency).") var concurrency: Int?

    func run() throws {
        guard let route = StageRoute.named(name) else {
            printError("rebuilder: no stage '\(name)': the stages are \(StageRoute.all.map(\.stage).joined(separator: ", "))")
            throw ExitCode(64)
        }
        let (configuration, spool) = try global.openSpool(readOnly: false)
        let settings = configuration.stages[name] ?? StageSettings()
        let job: StageJob
        if passThrough {
            job = .passThrough
        } else if let command = settings.command {
            job = .command(arguments: command, timeoutSeconds: settings.timeoutSeconds)
        } else {
            printError("rebuilder: stage \(name) has no command: set `command` in [stage.\(name)] of \(global.config ?? RebuilderConfiguration.defaultPath)")
            throw ExitCode(78)
        }
        let options = StageOptions(
            route: route, spool: spool, job: job, concurrency: concurrency ?? settings.concurrency,
            limits: ClaimLimits(maxTaskBytes: configuration.spool.maxTaskBytes, settleSeconds: configuration.spool.settleSeconds),
            rescanSeconds: configuration.spool.rescanSeconds, watch: configuration.spool.watch && !noWatch,
            fsync: configuration.spool.fsync, once: once)
        do {
            try StageDaemon(options: options, logger: Logger(label: "rebuilder.\(name)")).run()
        } catch {
            printError("rebuilder: stage \(name): \(error)")
            throw ExitCode(70) // EX_SOFTWARE
        }
    }
}
