import Foundation
import ArgumentParser

/// How submissions reach the spool in the throughput run.
enum SubmitMethod: String, Sendable, Codable {
    /// `Spool.deliver` called by the bench itself: the code `rebuilder submit` runs, without its start-up.
    case inProcess = "in-process"
    /// One `rebuilder submit` process per batch, reading files the bench wrote beforehand.
    case cli
}

struct UsageError: Error, CustomStringConvertible {
    var description: String
}

/// The command line of `rebuilder-bench`.
struct BenchOptions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuilder-bench",
        abstract: "Measure the spool against its targets and print one table.",
        discussion: """
            The filesystem's durable-delivery limit, idle hand-off latency, end-to-end durable throughput, \
            behaviour under a large backlog, artifact hashing, attestation signing, the get stage and the snapshot backend's \
            build environments. It drives the \
            real `rebuilder` binary (stage daemons with --pass-through, the attest stage for real) on fresh spools.
            """)

    @Option(name: .customLong("dir"), help: "Where to work: a fresh directory is made inside it and removed at the end (default: inside /var/tmp).")
    var directory: String?
    @Option(help: "Tasks in the throughput run.") var tasks = 3000
    @Option(help: "Tasks waiting in new/ for the scale run.") var backlog = 300_000
    @Flag(help: "Leave out the scale run.") var skipScale = false
    @Flag(help: "Leave out the attestation-signing run.") var skipAttest = false
    @Flag(help: "Leave out the get-stage run.") var skipGet = false
    @Flag(help: "Leave out the snapshot-backend environment run.") var skipEnvironment = false
    @Flag(help: "Leave out the log-keeper run.") var skipLogkeeper = false
    @Flag(help: "Leave out the webhook receiver's load run (needs wrk).") var skipWebhook = false
    @Option(help: "Seconds of each wrk run against the webhook receiver.") var webhookSeconds = 10
    @Option(help: "Requests the webhook receiver answers before its memory is read.") var webhookRequests = 100_000
    @Option(help: "Megabytes of the log keeper's one big stream.") var logMegabytes = 200
    @Option(help: "Streams sent to the log keeper at once.") var logStreams = 20
    @Option(help: "Lines of each of those streams.") var logLinesEach = 100_000
    @Option(help: "The project's checkout, for the environment run (scripts/setup's .build-snapshot, examples/build-distribution).")
    var repository = FileManager.default.currentDirectoryPath
    @Option(help: "Lines of the pool listing in the get-stage run.") var getLines = 1_000_000
    @Option(help: "Tasks already in the spool in the get-stage run.") var getTasks = 300_000
    @Option(help: "Built tasks signed by the attest stage.") var attestTasks = 200
    @Option(help: "The attest stage's --concurrency, and how many in-toto-run and gpg run at a time beside it (default: the number of CPUs).")
    var attestConcurrency: Int?
    @Option(help: "The signing key: \(SigningHome.keyTypes.joined(separator: " or ")).") var attestKey = SigningHome.keyTypes[0]
    @Option(name: .customLong("intoto-runs"), help: "in-toto-run --gpg runs, one at a time and then in parallel.") var intotoRuns = 20
    @Option(help: "gpg --detach-sign runs, one at a time and then in parallel.") var gpgSignatures = 100
    @Flag(help: "Print the results as JSON instead of the table.") var json = false
    @Option(help: "The rebuilder binary (default: `rebuilder` beside this executable).") var rebuilder: String?
    @Option(help: "Pass --config PATH to every rebuilder process (default: none, so /etc/rebuilder/rebuilder.conf if it exists, else the built-in defaults).")
    var config: String?
    @Option(help: "Tasks submitted one at a time in the latency run.") var latencyTasks = 300
    @Option(name: .customLong("pause-ms"), help: "Milliseconds between those submissions.") var pauseMilliseconds = 20.0
    @Option(help: "Tasks per submission in the throughput run.") var batch = 500
    @Option(help: "in-process (Spool.deliver) or cli (one `rebuilder submit` per batch).") var submitVia = SubmitMethod.inProcess
    @Option(name: .customLong("fs-seconds"), help: "Duration of the filesystem-limit loop, at least 0.1.") var filesystemSeconds = 3.0
    @Flag(help: "Keep the work directory (its path is printed).") var keep = false

    func validate() throws {
        let counts = [("--tasks", tasks), ("--backlog", backlog), ("--get-lines", getLines), ("--get-tasks", getTasks),
                      ("--attest-tasks", attestTasks), ("--attest-concurrency", attestConcurrency ?? 1), ("--intoto-runs", intotoRuns),
                      ("--gpg-signatures", gpgSignatures), ("--latency-tasks", latencyTasks), ("--batch", batch)]
        for (name, value) in counts where value < 1 { throw ValidationError("\(name) takes a whole number of at least 1, not \(value)") }
        guard SigningHome.keyTypes.contains(attestKey) else {
            throw ValidationError("--attest-key: expected one of \(SigningHome.keyTypes.joined(separator: ", "))")
        }
        guard pauseMilliseconds >= 0, pauseMilliseconds.isFinite, filesystemSeconds >= 0.1, filesystemSeconds.isFinite else {
            throw ValidationError("--pause-ms takes a non-negative number, --fs-seconds one of at least 0.1")
        }
    }

    func run() throws {
        let status = Bench.run(self)
        if status != 0 { throw ExitCode(status) }
    }
}

extension SubmitMethod: ExpressibleByArgument {}
