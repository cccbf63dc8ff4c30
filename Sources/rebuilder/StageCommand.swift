import ArgumentParser
import BuildStage
import RebuilderSettings
import Foundation
import Logging
import Notifications
import Spool
import StageDaemon

/// A stage of the spool, or a daemon that runs beside them: the log keeper, the commands stage,
/// the notifier.
enum DaemonName: ExpressibleByArgument, Equatable {
    case stage(Stage)
    case logKeeper
    case commands
    case notify

    static let logKeeperName = "logkeeper"
    static let commandsName = "commands"
    static let notifyName = "notify"

    init?(argument: String) {
        if argument == Self.logKeeperName {
            self = .logKeeper
        } else if argument == Self.commandsName {
            self = .commands
        } else if argument == Self.notifyName {
            self = .notify
        } else if let stage = Stage(rawValue: argument) {
            self = .stage(stage)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { Stage.allCases.map(\.name) + [logKeeperName, commandsName, notifyName] }
}

struct StageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage", abstract: "Run one stage daemon: \(DaemonName.allValueStrings.joined(separator: ", ")).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The stage: \(DaemonName.allValueStrings.joined(separator: ", ")).")
    var daemon: DaemonName

    @Flag(help: "Drain the tasks due now, then exit.") var once = false
    @Flag(name: .customLong("no-watch"), help: "No inotify: rescans alone (as [spool] watch = false).") var noWatch = false
    @Flag(name: .customLong("pass-through"), help: "Hand every task on without running the stage's command (benchmarks, draining).")
    var passThrough = false
    @Option(help: "Tasks worked on at once (overrides [stage.NAME] concurrency).") var concurrency: Int?

    func run() throws {
        let stage: Stage
        switch daemon {
        case .logKeeper: return try LogKeeperDaemon.run(global.configuration(), configPath: global.config ?? RebuilderConfiguration.defaultPath)
        case .commands: return try runCommandsStage()
        case .notify: return try runNotifier()
        case .stage(let named): stage = named
        }
        guard let route = stage.route else { return try runGetStage() }
        let (configuration, spool) = try global.openSpool(readOnly: false, writing: route.writes)
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

    /// `rebuilder stage notify`: [notify] must name a receiver.
    private func runNotifier() throws {
        let (configuration, spool) = try global.openSpool(readOnly: false, writing: [])
        guard configuration.notify.hasReceivers else { throw configurationProblem("[notify] needs urls or command: there is no one to notify") }
        var options = NotifyOptions(configuration: configuration, spool: spool)
        options.watch = options.watch && !noWatch
        options.once = once
        if let concurrency { options.concurrency = concurrency }
        do {
            try NotifyDaemon(options: options, logger: Logger(label: "rebuilder.notify")).run()
        } catch {
            printError("rebuilder: stage notify: \(error)")
            throw ExitCode(70) // EX_SOFTWARE
        }
    }

    private func configurationProblem(_ message: String) -> Error {
        printError("rebuilder: \(global.config ?? RebuilderConfiguration.defaultPath): \(message)")
        return ExitCode(78)
    }
}
