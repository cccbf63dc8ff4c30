import AttestStage
import Configuration
import Foundation
import GetStage
import RemoteShell
import ReportStage
import Spool
import UploadStage

/// The attest, report and upload stages' settings, read from [publish] and the original's
/// distribution sections ([common] filling in what a distribution leaves unset).
struct PublishingStages {
    var configuration: RebuilderConfiguration

    /// The distribution sections present in the file, each with [common] merged in.
    private var distributions: [(name: String, settings: [String: String])] {
        RebuilderConfiguration.distributions.compactMap { name in configuration.distributionSettings(for: name).map { (name, $0) } }
    }

    var attest: AttestSettings {
        let names = AttestSettings.Keys.configurationKeys
        return AttestSettings(
            publishedRoot: configuration.publish.root, gnupgHome: configuration.publish.gnupgHome,
            keys: Dictionary(uniqueKeysWithValues: distributions.map {
                ($0.name, AttestSettings.Keys(reproducible: $0.settings[names.reproducible], unreproducible: $0.settings[names.unreproducible]))
            }))
    }

    func results(spool: Spool) -> ResultsGeneration {
        // Each spec publishes under the project the get stage labels its tasks with.
        var specsOfProject: [String: [String]] = [:]
        for configured in configuration.configuredSpecs {
            specsOfProject[GetTarget.project(of: configured), default: []] += [configured.spec.raw] + configured.spec.packageSetSpecs
        }
        return ResultsGeneration(spool: spool, publishedRoot: configuration.publish.root,
                                 prometheusDirectory: configuration.publish.prometheusDirectory,
                                 configuredDistributions: specsOfProject)
    }

    func report(spool: Spool) -> ReportWork {
        ReportWork(results: results(spool: spool), regenerationSeconds: distributions.reduce(into: [:]) { periods, distribution in
            periods[distribution.name] = distribution.settings["schedule_generate_results"].flatMap(Double.init)
        })
    }

    /// Throws a message naming the section when a host is set without its directory.
    func upload(_ stage: StageSettings) throws -> UploadSettings {
        let publish = configuration.publish
        var remotes: [String: UploadSettings.Remote] = [:]
        for (name, settings) in distributions {
            guard let host = settings["repo-remote-ssh-host"] else { continue }
            guard let basedir = settings["repo-remote-ssh-basedir"], basedir.hasPrefix("/") else {
                throw PublishingConfigurationError(message: "[\(name)] sets repo-remote-ssh-host but no absolute repo-remote-ssh-basedir")
            }
            let key = settings["repo-ssh-key"].map { $0.hasPrefix("/") ? $0 : "\(publish.sshDirectory)/\($0)" }
            remotes[name] = UploadSettings.Remote(
                connection: SSHConnection(destination: host, port: publish.sshPort, identityFile: key, knownHostsFile: publish.knownHosts),
                basedir: basedir)
        }
        return UploadSettings(publishedRoot: publish.root, remotes: remotes, timeoutSeconds: stage.timeoutSeconds, logLimitBytes: stage.logLimitBytes)
    }
}

struct PublishingConfigurationError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
