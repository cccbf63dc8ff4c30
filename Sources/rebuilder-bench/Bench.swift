import Foundation
import Glibc
import Spool

/// One run of the bench: every measurement in turn on fresh spools, then the report.
enum Bench {
    static func run(_ options: BenchOptions) -> Int32 {
        let rebuilder: String
        do {
            rebuilder = try locateRebuilder(options.rebuilder)
        } catch {
            Progress.note("\(error)")
            return 66
        }
        let area: WorkArea
        do {
            area = try WorkArea(parent: options.directory ?? "/var/tmp", keep: options.keep)
        } catch {
            Progress.note("\(error)")
            return 73
        }
        let interrupts = InterruptHandler {
            runningDaemons.stopAll()
            signingHomes.removeAll()
            area.removeAll()
        }
        let launcher = StageLauncher(rebuilder: rebuilder, config: options.config)
        var report = BenchReport(
            generatedAt: Timestamp.format(Clock.wall()), host: Actor.current.host, cpus: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            workDirectory: area.path, filesystem: area.filesystemType, rebuilder: rebuilder,
            configuration: configurationDescription(options.config))
        Progress.note("working in \(area.path) (\(report.filesystem)); rebuilder \(rebuilder)")

        // Each run's files stay until the end: deleting thousands of files would slow the next
        // run's file creation on some filesystems (ext4 without a journal skips recently deleted inodes).
        var errors: [String: String] = [:]
        report.filesystemLimit = attempt("filesystem limit", &errors) {
            Progress.note("1/10 filesystem limit: durable deliveries one at a time for \(options.filesystemSeconds) s")
            let directory = try area.subdirectory("filesystem-limit")
            let content = TaskContent.buildinfo(for: TaskContent.id("limit", 0), index: 0)
            return try FilesystemLimit.measure(in: directory, seconds: options.filesystemSeconds, content: content)
        }
        report.latency = attempt("hand-off latency", &errors) {
            Progress.note("2/10 hand-off latency: \(options.latencyTasks) tasks, one every \(options.pauseMilliseconds) ms, through 4 pass-through daemons")
            let directory = try area.subdirectory("latency")
            return try HandOffLatency.measure(directory: directory, launcher: launcher, tasks: options.latencyTasks,
                                              pause: options.pauseMilliseconds / 1000)
        }
        report.throughput = attempt("throughput", &errors) {
            Progress.note("3/10 throughput: \(options.tasks) tasks in batches of \(options.batch) (\(options.submitVia.rawValue))")
            let directory = try area.subdirectory("throughput")
            return try Throughput.measure(directory: directory, launcher: launcher, tasks: options.tasks,
                                          batch: options.batch, via: options.submitVia)
        }
        if !options.skipScale {
            report.scale = attempt("scale", &errors) {
                Progress.note("4/10 scale: \(options.backlog) tasks waiting, one build daemon")
                let directory = try area.subdirectory("scale")
                return try Scale.measure(directory: directory, area: area, launcher: launcher, backlog: options.backlog)
            }
        }
        report.hashing = attempt("artifact hashing", &errors) {
            Progress.note("5/10 artifact hashing: a 512 MiB file, FileDigest against sha256sum and openssl")
            return try ArtifactHashing.measure(in: try area.subdirectory("hashing"))
        }
        if !options.skipAttest {
            report.attestSigning = attempt("attestation signing", &errors) {
                let concurrency = options.attestConcurrency ?? report.cpus
                Progress.note("6/10 attestation signing: \(options.attestTasks) tasks through the attest stage at concurrency \(concurrency), beside in-toto-run --gpg and gpg --detach-sign")
                return try AttestSigning.measure(directory: try area.subdirectory(Stage.attest.name), rebuilder: rebuilder,
                                                 tasks: options.attestTasks, concurrency: concurrency, keyType: options.attestKey,
                                                 intotoRuns: options.intotoRuns, gpgSignatures: options.gpgSignatures)
            }
        }
        if !options.skipGet {
            report.getSelection = attempt("get selection", &errors) {
                Progress.note("7/10 get stage: a \(options.getLines)-line pool listing against \(options.getTasks) tasks in the spool")
                return try GetSelection.measure(directory: try area.subdirectory(Stage.get.name), rebuilder: rebuilder,
                                                lines: options.getLines, tasks: options.getTasks)
            }
        }
        if !options.skipEnvironment {
            report.environmentSetup = attempt("environment setup", &errors) {
                Progress.note("8/10 snapshot backend: hello-repro's environment from an empty cache, warm files, a cached environment; bare mmdebstrap and dpkg-buildpackage")
                return try EnvironmentSetup.measure(directory: try area.subdirectory("environment"), repository: options.repository, rebuilder: rebuilder)
            }
        }
        if !options.skipLogkeeper {
            report.logKeeper = attempt("log keeper", &errors) {
                Progress.note("9/10 log keeper: one \(options.logMegabytes) MB stream, then \(options.logStreams) streams of \(options.logLinesEach) lines at once, every line counted")
                return try LogKeeperLoad.measure(directory: try area.subdirectory("logkeeper"), rebuilder: rebuilder, megabytes: options.logMegabytes,
                                                 streams: options.logStreams, linesEach: options.logLinesEach)
            }
        }
        if !options.skipWebhook {
            report.webhook = attempt("webhook", &errors) {
                Progress.note("10/10 webhook receiver: wrk with valid and invalid HMACs for \(options.webhookSeconds) s each, then its memory after \(options.webhookRequests) requests")
                return try WebhookLoad.measure(directory: try area.subdirectory("webhook"), rebuilder: rebuilder, seconds: options.webhookSeconds,
                                               connections: 16, total: options.webhookRequests)
            }
        }
        report.errors = errors

        runningDaemons.stopAll()
        signingHomes.removeAll()
        area.removeAll()
        withExtendedLifetime(interrupts) {}
        report.judge()
        if options.json {
            do {
                print(try Report.json(report))
            } catch {
                Progress.note("cannot encode the report: \(error)")
                return 70
            }
        } else {
            print(Report.table(report))
        }
        return report.errors.isEmpty ? 0 : 1
    }

    /// Runs one measurement; an error is kept in the report and every daemon it started is stopped.
    private static func attempt<Result>(_ name: String, _ errors: inout [String: String],
                                        _ body: () throws -> Result) -> Result? {
        defer {
            runningDaemons.stopAll()
            signingHomes.removeAll()
            // After a signal the handler cleans up and exits the process: start nothing new.
            while interruptRequested.load(ordering: .relaxed) { Clock.sleep(1) }
        }
        do {
            return try body()
        } catch {
            if !interruptRequested.load(ordering: .relaxed) { Progress.note("\(name) failed: \(error)") }
            errors[name] = "\(error)"
            return nil
        }
    }

    /// `--rebuilder`, or `rebuilder` in the directory of this executable.
    private static func locateRebuilder(_ given: String?) throws -> String {
        var candidate = given
        if candidate == nil {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
            if length > 0 {
                let own = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                candidate = String(own[..<(own.lastIndex(of: "/") ?? own.endIndex)]) + "/rebuilder"
            }
        }
        guard let path = candidate, access(path, X_OK) == 0 else {
            throw UsageError(description: "no executable rebuilder at \(candidate ?? "?"): build it into the same scratch path (swift build -c release --product rebuilder) or pass --rebuilder PATH")
        }
        return path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    private static func configurationDescription(_ given: String?) -> String {
        if let given { return "--config \(given)" }
        if access("/etc/rebuilder/rebuilder.conf", F_OK) == 0 { return "/etc/rebuilder/rebuilder.conf" }
        return "built-in defaults (no --config, no /etc/rebuilder/rebuilder.conf: fsync on, rescan every 30 s)"
    }
}
