import ArgumentParser
import AttestStage
import BuildStage
import Foundation
import OpenPGP
import Rebuild
import Configuration
import Logging
import ReportStage
import Spool
import StageDaemon
import UploadStage

extension Stage: ExpressibleByArgument {}

struct StageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage", abstract: "Run one stage daemon: get, build, attest, report or upload.")

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
        let settings = configuration.settings(for: stage)
        if stage == .build, !passThrough, let problem = KeyringReach.problem(home: configuration.publish.gnupgHome) {
            if KeyringReach.isEnforced { throw configurationProblem(problem) }
            printError("rebuilder: warning: \(problem)")
        }
        let work: any StageWork
        if passThrough {
            work = PassThroughWork()
        } else if let rebuild = settings.rebuild {
            work = try rebuildWork(rebuild, settings, configuration)
        } else if let command = settings.command {
            work = CommandWork(stage: stage, arguments: command, timeoutSeconds: settings.timeoutSeconds,
                               logLimitBytes: settings.logLimitBytes)
        } else {
            work = try builtInWork(settings, configuration, spool)
        }
        let options = StageOptions(
            route: route, spool: spool, work: work, concurrency: concurrency ?? settings.concurrency,
            limits: ClaimLimits(maxTaskBytes: configuration.spool.maxTaskBytes, settleSeconds: configuration.spool.settleSeconds),
            rescanSeconds: configuration.spool.rescanSeconds, watch: configuration.spool.watch && !noWatch,
            fsync: configuration.spool.fsync, once: once)
        do {
            try StageDaemon(options: options, logger: Logger(label: "rebuilder.\(stage)")).run()
        } catch {
            printError("rebuilder: stage \(stage): \(error)")
            throw ExitCode(70) // EX_SOFTWARE
        }
    }
}

extension StageCommand {
    /// The real build stage, from [stage.build]'s rebuild keys.
    private func rebuildWork(_ rebuild: RebuildStageSettings, _ settings: StageSettings,
                             _ configuration: RebuilderConfiguration) throws -> RebuildWork {
        let backend: RebuildBackend
        switch rebuild.backend {
        case .local:
            guard let pool = rebuild.pool else { throw configurationProblem("backend = local needs `pool` in [stage.build]") }
            backend = .local(pool: pool)
        case .debrebuild:
            backend = .debrebuild(builder: rebuild.builder)
        case .command:
            guard let command = settings.command else { throw configurationProblem("backend = command needs `command` in [stage.build]") }
            backend = .command(command)
        }
        let remote = rebuild.remote.map {
            RemoteHost(destination: $0, port: rebuild.remotePort, identityFile: rebuild.remoteKey,
                       knownHostsFile: rebuild.remoteKnownHosts, directory: rebuild.remoteDirectory, rebuilder: rebuild.remoteRebuilder)
        }
        var verifier: SignatureVerifier?
        if let keyring = rebuild.buildinfoKeyring {
            do {
                verifier = try SignatureVerifier(home: keyring)
            } catch {
                throw configurationProblem("buildinfo-keyring: \(error)")
            }
        }
        var distributionVerifiers: [String: SignatureVerifier] = [:]
        for distribution in RebuilderConfiguration.distributions {
            guard let keyring = configuration.distributionSettings(for: distribution)?["buildinfo-keyring"] else { continue }
            do {
                distributionVerifiers[distribution] = try SignatureVerifier(home: keyring)
            } catch {
                throw configurationProblem("[\(distribution)] buildinfo-keyring: \(error)")
            }
        }
        var settings = RebuildSettings(
            backend: backend, signatureVerifier: verifier, remote: remote, timeoutSeconds: settings.timeoutSeconds, logLimitBytes: settings.logLimitBytes,
            maxTaskBytes: configuration.spool.maxTaskBytes, unreproducibleAttempts: rebuild.unreproducibleAttempts,
            ftbfsAttempts: rebuild.ftbfsAttempts, buildPaths: BuildPathPolicy(allowedRoot: rebuild.buildRoot),
            shippedPackages: rebuild.shippedPackages, diffoscopeTimeoutSeconds: rebuild.diffoscopeTimeoutSeconds,
            rebuilderExecutable: Self.ownExecutable)
        settings.distributionVerifiers = distributionVerifiers
        settings.maxArtifacts = rebuild.maxArtifacts
        return RebuildWork(settings: settings)
    }

    /// The stages that need no command: attest, report and upload. The build stage needs its
    /// `backend` (or a command).
    private func builtInWork(_ settings: StageSettings, _ configuration: RebuilderConfiguration, _ spool: Spool) throws -> any StageWork {
        let stages = PublishingStages(configuration: configuration)
        switch stage {
        case .attest: return AttestWork(settings: stages.attest)
        case .report: return stages.report(spool: spool)
        case .upload:
            do {
                return UploadWork(settings: try stages.upload(settings))
            } catch {
                throw configurationProblem("\(error)")
            }
        case .get, .build: throw configurationProblem("stage \(stage) has no command: set `backend` or `command` in [stage.\(stage)]")
        }
    }

    private func configurationProblem(_ message: String) -> Error {
        printError("rebuilder: \(global.config ?? RebuilderConfiguration.defaultPath): \(message)")
        return ExitCode(78)
    }

    /// This executable's absolute path, for backends that run as its subcommands.
    static var ownExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
