import RebuilderSettings
import OpenPGP
import Rebuild
import Sandbox
import Spool

extension RebuildSettings {
    /// From [stage.build] (its rebuild keys, command and limits), [spool] and each distribution
    /// section's buildinfo keyring. `rebuilderExecutable`: this program, for the local backend.
    public init(configuration: RebuilderConfiguration, rebuilderExecutable: String) throws(ConfigurationProblem) {
        let stage = configuration.settings(for: .build)
        let rebuild = stage.rebuild ?? RebuildStageSettings()
        let section = "[stage.\(Stage.build)]"
        let backend: RebuildBackend
        switch rebuild.backend {
        case .snapshot:
            guard let service = configuration.common.snapshot ?? configuration.presentDistributions.first?.snapshot else {
                throw ConfigurationProblem("backend = snapshot needs `snapshot` in [common] or a distribution section")
            }
            var services: [String: String] = [:]
            var repositories: [String: [String]] = ["": configuration.common.extraRepositories]
            for distribution in configuration.presentDistributions {
                services[distribution.name] = distribution.snapshot
                repositories[distribution.name] = distribution.extraRepositories
            }
            backend = .snapshot(SnapshotOptions(
                service: service, services: services, repositories: repositories, cache: rebuild.cache, cacheBytes: rebuild.cacheBytes, suite: rebuild.environmentSuite,
                limits: SandboxLimits(diskBytes: rebuild.buildDiskBytes, memoryBytes: rebuild.buildMemoryBytes, processes: rebuild.buildProcesses)))
        case .local:
            guard let pool = rebuild.pool else { throw ConfigurationProblem("backend = local needs `pool` in \(section)") }
            backend = .local(pool: pool)
        case .debrebuild:
            backend = .debrebuild(builder: rebuild.builder)
        case .command:
            guard let command = stage.command else { throw ConfigurationProblem("backend = command needs `command` in \(section)") }
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
                throw ConfigurationProblem("\(DistributionSettings.KeyName.buildinfoKeyring): \(error)")
            }
        }
        var distributionVerifiers: [String: SignatureVerifier] = [:]
        for distribution in configuration.presentDistributions {
            guard let keyring = distribution.buildinfoKeyring else { continue }
            do {
                distributionVerifiers[distribution.name] = try SignatureVerifier(home: keyring)
            } catch {
                throw ConfigurationProblem("[\(distribution.name)] \(DistributionSettings.KeyName.buildinfoKeyring): \(error)")
            }
        }
        self.init(
            backend: backend, signatureVerifier: verifier, remote: remote, timeoutSeconds: stage.timeoutSeconds,
            logLimitBytes: stage.logLimitBytes, maxTaskBytes: configuration.spool.maxTaskBytes,
            unreproducibleAttempts: rebuild.unreproducibleAttempts, ftbfsAttempts: rebuild.ftbfsAttempts,
            buildPaths: BuildPathPolicy(allowedRoot: rebuild.buildRoot), shippedPackages: rebuild.shippedPackages,
            diffoscopeTimeoutSeconds: rebuild.diffoscopeTimeoutSeconds, rebuilderExecutable: rebuilderExecutable)
        self.distributionVerifiers = distributionVerifiers
        self.maxArtifacts = rebuild.maxArtifacts
        self.logKeeperSocket = configuration.logKeeper?.socket
        if let name = rebuild.buildUser {
            guard let user = BuildUser(named: name) else { throw ConfigurationProblem("build-user in \(section): no user \(name) on this host") }
            if let problem = user.switchProblem() {
                throw ConfigurationProblem("build-user in \(section): cannot run builds as \(name) (the stage needs CAP_SETUID and CAP_SETGID): \(problem)")
            }
            buildUser = user
        }
    }
}
