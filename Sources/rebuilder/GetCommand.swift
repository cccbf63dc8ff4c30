import ArgumentParser
import Configuration
import Fetching
import Foundation
import GetStage
import Spool

struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: Stage.get.name,
        abstract: "Find new builds upstream and deliver each into new/ once; prints found, new, skipped and failed per spec.",
        discussion: """
            Without --dist, every spec of the `dist` keys of [debian], [qubesos] and [fedora]. A build already \
            anywhere in the spool is skipped; one whose buildinfo is listed but not served yet is asked for again \
            after [stage.get] unpublished-delay. Exit status 0 when every spec was listed and every build is \
            accounted for, 1 otherwise.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "A distribution spec such as bookworm+essential.amd64 (repeatable); configured or not.")
    var dist: [String] = []

    @Flag(name: .customLong("force-retry"), help: "Send builds found in failed/ back to new/ instead of skipping them.")
    var forceRetry = false

    @Flag(help: "Only the specs whose schedule_get has passed since they were last listed (for the timer).")
    var scheduled = false

    func run() throws {
        let (configuration, spool) = try global.openSpool(readOnly: false)
        let plan = try GetPlan(configuration: configuration, requested: dist)
        let targets = scheduled ? plan.due(spool: spool, now: Date().timeIntervalSince1970) : plan.targets
        let getter = Getter(spool: spool, settings: plan.settings(forceRetry: forceRetry))
        let report: GetReport
        do {
            report = try getter.run(targets, progress: Self.show)
        } catch {
            printError("rebuilder: get: \(error)")
            throw ExitCode(74)
        }
        if !report.succeeded { throw ExitCode(1) }
    }

    /// A spec's figures on stdout, its problems on stderr, as each spec is done.
    static func show(_ spec: SpecReport) {
        print(spec.summary)
        for problem in spec.problems { printError("  \(problem)") }
    }
}

/// The specs to follow and the limits to follow them with, from rebuilder.conf.
struct GetPlan {
    var configuration: RebuilderConfiguration
    var targets: [GetTarget] = []
    /// Spec → its distribution's schedule_get in seconds.
    var schedules: [String: Double] = [:]

    /// A requested spec that is configured keeps its config line; one that is not is taken as
    /// the original's `get(dist)` took it, with its distribution section's settings.
    init(configuration: RebuilderConfiguration, requested: [String]) throws {
        self.configuration = configuration
        var specs: [ConfiguredSpec] = []
        if requested.isEmpty {
            specs = configuration.configuredSpecs
        } else {
            for raw in requested {
                if let configured = configuration.configuredSpecs.first(where: { $0.spec.raw == raw }) {
                    specs.append(configured)
                } else if let spec = DistributionSpec(parsing: raw) {
                    specs.append(ConfiguredSpec(distribution: GetTarget.section(ofSuite: spec.suite), spec: spec, location: "--dist"))
                } else {
                    printError("rebuilder: get: bad distribution spec '\(raw)': expected {suite}+{package set}+...+{package set}.{arch}")
                    throw ExitCode(64)
                }
            }
        }
        for configured in specs {
            let settings = configuration.distributionSettings(for: configured.distribution) ?? configuration.sections["common"] ?? [:]
            do {
                targets.append(try GetTarget(configured, settings: settings))
            } catch {
                printError("rebuilder: \(error)")
                throw ExitCode(78)
            }
            schedules[configured.spec.raw] = settings["schedule_get"].flatMap(Double.init) ?? 1800
        }
    }

    /// Targets whose last complete listing (the time their expected list was written) is older
    /// than their schedule_get.
    func due(spool: Spool, now: Double) -> [GetTarget] {
        targets.filter { target in
            guard let last = spool.expectedModificationTime(group: target.spec.raw) else { return true }
            return now - last >= schedules[target.spec.raw, default: 1800]
        }
    }

    func settings(forceRetry: Bool) -> Getter.Settings {
        let get = configuration.settings(for: .get).get
        let listing = FetchLimits(connectTimeout: get.connectTimeoutSeconds, timeout: get.downloadTimeoutSeconds,
                                  maximumBytes: get.maxListingBytes, maximumRedirects: get.maxRedirects)
        var buildinfo = listing
        buildinfo.maximumBytes = configuration.spool.maxTaskBytes
        return Getter.Settings(listingLimits: listing, buildinfoLimits: buildinfo, unpublishedDelay: get.unpublishedDelaySeconds,
                               unpublishedMaximumDelay: get.unpublishedMaxDelaySeconds, forceRetry: forceRetry)
    }
}
