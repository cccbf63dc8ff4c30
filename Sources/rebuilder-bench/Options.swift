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
struct BenchOptions: Sendable {
    var directory: String?
    var tasks = 3000
    var backlog = 300_000
    var skipScale = false
    var skipAttest = false
    var skipGet = false
    var getLines = 1_000_000
    var getTasks = 300_000
    var attestTasks = 200
    /// nil: the number of CPUs.
    var attestConcurrency: Int?
    var attestKey = SigningHome.keyTypes[0]
    var intotoRuns = 20
    var gpgSignatures = 100
    var json = false
    var rebuilder: String?
    var config: String?
    var latencyTasks = 300
    var pauseMilliseconds = 20.0
    var batch = 500
    var submitVia = SubmitMethod.inProcess
    var filesystemSeconds = 3.0
    var keep = false
    var help = false

    static let usage = """
    usage: rebuilder-bench [options]

    Measures the spool against its targets: the filesystem's durable-delivery limit, idle hand-off
    latency, end-to-end durable throughput, behaviour under a large backlog, artifact hashing and
    attestation signing. It drives the real `rebuilder` binary (stage daemons with --pass-through,
    the attest stage for real) on fresh spools and prints one table.

      --dir PATH          where to work: a fresh directory is made inside PATH and removed at the end
                          (default: inside /var/tmp)
      --tasks N           tasks in the throughput run (default 3000)
      --backlog N         tasks waiting in new/ for the scale run (default 300000)
      --skip-scale        leave out the scale run
      --skip-attest       leave out the attestation-signing run
      --skip-get          leave out the get-stage run
      --get-lines N       lines of the pool listing in the get-stage run (default 1000000)
      --get-tasks N       tasks already in the spool in the get-stage run (default 300000)
      --attest-tasks N    built tasks signed by the attest stage (default 200)
      --attest-concurrency N
                          the attest stage's --concurrency, and how many in-toto-run and gpg run
                          at a time beside it (default: the number of CPUs)
      --attest-key TYPE   the signing key: ed25519 (default) or rsa3072
      --intoto-runs N     in-toto-run --gpg runs, one at a time and then in parallel (default 20)
      --gpg-signatures N  gpg --detach-sign runs, one at a time and then in parallel (default 100)
      --json              print the results as JSON instead of the table
      --rebuilder PATH    the rebuilder binary (default: `rebuilder` beside this executable)
      --config PATH       pass --config PATH to every rebuilder process (default: none, so
                          /etc/rebuilder/rebuilder.conf if it exists, else the built-in defaults)
      --latency-tasks N   tasks submitted one at a time in the latency run (default 300)
      --pause-ms MS       pause between those submissions (default 20)
      --batch N           tasks per submission in the throughput run (default 500)
      --submit-via WAY    in-process (Spool.deliver, default) or cli (one `rebuilder submit` per batch)
      --fs-seconds S      duration of the filesystem-limit loop (default 3)
      --keep              keep the work directory (its path is printed)
      --help              this text
    """

    static func parse(_ arguments: [String]) throws -> BenchOptions {
        var options = BenchOptions()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value() throws -> String {
                if let inlineValue { return inlineValue }
                guard let next = remaining.popFirst() else { throw UsageError(description: "\(name) needs a value") }
                return next
            }
            func count(minimum: Int) throws -> Int {
                let text = try value()
                guard let number = Int(text), number >= minimum else {
                    throw UsageError(description: "\(name) takes a whole number of at least \(minimum), not '\(text)'")
                }
                return number
            }
            func seconds() throws -> Double {
                let text = try value()
                guard let number = Double(text), number >= 0, number.isFinite else {
                    throw UsageError(description: "\(name) takes a non-negative number, not '\(text)'")
                }
                return number
            }
            switch name {
            case "--dir": options.directory = try value()
            case "--tasks": options.tasks = try count(minimum: 1)
            case "--backlog": options.backlog = try count(minimum: 1)
            case "--get-lines": options.getLines = try count(minimum: 1)
            case "--get-tasks": options.getTasks = try count(minimum: 1)
            case "--skip-scale": options.skipScale = true
            case "--skip-attest": options.skipAttest = true
            case "--skip-get": options.skipGet = true
            case "--attest-tasks": options.attestTasks = try count(minimum: 1)
            case "--attest-concurrency": options.attestConcurrency = try count(minimum: 1)
            case "--attest-key":
                let key = try value()
                guard SigningHome.keyTypes.contains(key) else {
                    throw UsageError(description: "--attest-key: expected one of \(SigningHome.keyTypes.joined(separator: ", "))")
                }
                options.attestKey = key
            case "--intoto-runs": options.intotoRuns = try count(minimum: 1)
            case "--gpg-signatures": options.gpgSignatures = try count(minimum: 1)
            case "--json": options.json = true
            case "--rebuilder": options.rebuilder = try value()
            case "--config": options.config = try value()
            case "--latency-tasks": options.latencyTasks = try count(minimum: 1)
            case "--pause-ms": options.pauseMilliseconds = try seconds()
            case "--batch": options.batch = try count(minimum: 1)
            case "--submit-via":
                let text = try value()
                guard let method = SubmitMethod(rawValue: text) else {
                    throw UsageError(description: "--submit-via takes in-process or cli, not '\(text)'")
                }
                options.submitVia = method
            case "--fs-seconds": options.filesystemSeconds = max(0.1, try seconds())
            case "--keep": options.keep = true
            case "--help", "-h": options.help = true
            default: throw UsageError(description: "unknown argument '\(argument)'")
            }
            if inlineValue != nil && ["--skip-scale", "--skip-attest", "--skip-get", "--json", "--keep", "--help"].contains(name) {
                throw UsageError(description: "\(name) takes no value")
            }
        }
        return options
    }
}
