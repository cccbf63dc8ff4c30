import ArgumentParser
import BuildStage
import Configuration
import Foundation
import Logging
import Spool
import StageDaemon

extension Stage: ExpressibleByArgument {}

struct StageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage", abstract: "Run one stage daemon: \(Stage.allCases.map(\.name).joined(separator: ", ")).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The stage: \(Stage.allCases.map(\.name).joined(separator: ", ")).")
    var stage: Stage

    @Flag(help: "Drain the tasks due now, then exit.") var once = false
    @Flag(name: .customLong("no-watch"), help: "No inotify: rescans alone (as [spool] watch = false).") var noWatch = false
    @Flag(name: .customLong("pass-through"), help: "Hand every task on without running the stage's command (benchmarks, draining).")
    var passThrough = false
    @Option(help: "Tasks worked on at once (overrides [stage.NAME] concurrency).") var concurrency: Int?

    func run() throws {
        guard let route = stage.route else { return try runGetStage() }
        let (configuration, spool) = try global.openSpool(readOnly: false)
        if stage == .build, !passThrough, let problem = KeyringReach.problem(home: configuration.publish.gnupgHome) {
            if KeyringReach.isEnforced { throw configurationProblem(problem) }
            printError("rebuilder: warning: \(problem)")
        }
        let work: any StageWork
        do {
            work = passThrough ? PassThroughWork() : try StageWorks.work(for: stage, configuration, spool)
        } catch {
            throw configurationProblem(error.message)
        }
        var options = StageOptions(route: route, spool: spool, work: work, configuration: configuration)
        if let concurrency { options.concurrency = concurrency }
        options.watch = options.watch && !noWatch
        options.once = once
        do {
            try StageDaemon(options: options, logger: Logger(label: "rebuilder.\(stage)")).run()
        } catch {
            printError("rebuilder: stage \(stage): \(error)")
            throw ExitCode(70) // EX_SOFTWARE
        }
    }

    private func configurationProblem(_ message: String) -> Error {
        printError("rebuilder: \(global.config ?? RebuilderConfiguration.defaultPath): \(message)")
        return ExitCode(78)
    }
}
