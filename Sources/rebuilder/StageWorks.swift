import AttestStage
import BuildStage
import RebuilderSettings
import Foundation
import ReportStage
import Spool
import StageDaemon
import UploadStage

/// What each stage does with a task: the one place that knows every stage module. A stage's
/// `command` (without the build stage's rebuild keys) runs instead of its built-in work.
enum StageWorks {
    static func work(for stage: Stage, _ configuration: RebuilderConfiguration, _ spool: Spool) throws(ConfigurationProblem) -> any StageWork {
        let settings = configuration.settings(for: stage)
        if settings.rebuild == nil, let command = settings.command {
            return CommandWork(stage: stage, arguments: command, timeoutSeconds: settings.timeoutSeconds, logLimitBytes: settings.logLimitBytes)
        }
        switch stage {
        case .build:
            // Without rebuild keys, the default backend (snapshot) with its defaults.
            return RebuildWork(settings: try RebuildSettings(configuration: configuration, rebuilderExecutable: ownExecutable), holds: Holds(spool: spool))
        case .attest: return AttestWork(settings: AttestSettings(configuration: configuration))
        case .report: return ReportWork(configuration: configuration, spool: spool.reader)
        case .upload: return UploadWork(settings: try UploadSettings(configuration: configuration))
        case .get: throw ConfigurationProblem("stage \(stage) has no command: set `command` in [stage.\(stage)]")
        }
    }

    /// This executable's absolute path, for backends that run as its subcommands.
    static var ownExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
