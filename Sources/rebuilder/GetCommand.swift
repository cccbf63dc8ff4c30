import ArgumentParser
import RebuilderSettings
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
        let (configuration, spool) = try global.openSpool(readOnly: false, writing: [.tmp, .new])
        let plan = try GetCommand.plan(configuration, requested: dist)
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

    /// The plan, or the exit a bad spec (64) or a spec that cannot be followed (78) calls for.
    static func plan(_ configuration: RebuilderConfiguration, requested: [String]) throws -> GetPlan {
        do {
            return try GetPlan(configuration: configuration, requested: requested)
        } catch {
            printError("rebuilder: \(error)")
            throw ExitCode(error.isBadSpec ? 64 : 78)
        }
    }

    /// A spec's figures on stdout, its problems on stderr, as each spec is done.
    static func show(_ spec: SpecReport) {
        print(spec.summary)
        for problem in spec.problems { printError("  \(problem)") }
    }
}
