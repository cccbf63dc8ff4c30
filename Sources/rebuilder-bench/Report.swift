import Foundation

/// The report as a table for people, or as JSON.
enum Report {
    static func json(_ report: BenchReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    private struct Row {
        var figure: String
        var measured = ""
        var target = ""
        var verdict = ""
        var anchor = ""
        var isHeading = false
    }

    static func table(_ report: BenchReport) -> String {
        var rows: [Row] = []
        let targets = report.targets
        func heading(_ text: String) { rows.append(Row(figure: text, isHeading: true)) }
        func verdict(_ met: Bool?) -> String { met.map { $0 ? "ok" : "MISSED" } ?? "" }
        func failed(_ run: String) {
            if let error = report.errors[run] {
                rows.append(Row(figure: "  FAILED: " + error.split(separator: "\n").joined(separator: " | ")))
            }
        }

        rows.append(Row(figure: "figure", measured: "measured", target: "target / limit", verdict: "verdict", anchor: "anchor"))

        if let limit = report.filesystemLimit {
            heading("1. Filesystem limit (\(limit.fileBytes)-byte files; \(report.filesystem))")
            rows.append(Row(figure: "  durable deliveries one at a time", measured: "\(whole(limit.deliveriesPerSecond)) /s",
                            target: "the limit (\(limit.deliveries) in \(fixed(limit.seconds, 1)) s)"))
            rows.append(Row(figure: "    (write tmp/, fsync, rename to new/, fsync new/)"))
            rows.append(Row(figure: "  rename(2) between two directories", measured: "\(whole(limit.renamesPerSecond)) /s"))
        } else {
            heading("1. Filesystem limit")
        }
        failed("filesystem limit")

        if let latency = report.latency {
            heading("2. Hand-off latency, idle (\(latency.tasks) tasks, one every \(whole(latency.pauseMilliseconds)) ms)")
            rows.append(Row(figure: "  hop (claim time - previous event)", measured: "p50 / p99 / max ms"))
            for hop in latency.hops {
                rows.append(Row(figure: "  " + hop.hop, measured: milliseconds(hop.latency),
                                target: "p99 < \(fixed(targets.latencyP99Milliseconds, 0)) ms",
                                verdict: verdict(hop.latency.map { $0.p99 < targets.latencyP99Milliseconds }),
                                anchor: "Celery+Redis ≈ \(whole(targets.celeryRedisHopMilliseconds)) ms/hop"))
            }
            rows.append(Row(figure: "  all hops", measured: milliseconds(latency.allHops),
                            target: "p99 < \(fixed(targets.latencyP99Milliseconds, 0)) ms", verdict: verdict(report.verdicts.latencyP99),
                            anchor: "Celery+Redis ≈ \(whole(targets.celeryRedisHopMilliseconds)) ms/hop"))
            rows.append(Row(figure: "  stage -> stage hops only", measured: milliseconds(latency.stageToStage)))
            rows.append(Row(figure: "  floor: rename -> inotify read, no spool", measured: milliseconds(latency.floor.inotifyRead),
                            target: "the machine alone (\(latency.floor.samples))"))
            rows.append(Row(figure: "  floor: ... -> worker thread woken", measured: milliseconds(latency.floor.workerWoken),
                            target: "as a stage daemon does"))
            rows.append(Row(figure: "  context: one Spool.deliver call", measured: milliseconds(latency.deliverCall)))
            rows.append(Row(figure: "  context: deliver called -> build claimed", measured: milliseconds(latency.deliverCallToBuildClaim)))
            let negative = latency.hops.filter { $0.negative > 0 }.map { "\($0.hop) \($0.negative)" }
            if !negative.isEmpty {
                rows.append(Row(figure: "  negative hops (claim stamped before the event it follows): " + negative.joined(separator: ", ")))
            }
            if latency.completed < latency.tasks || latency.tasksMissingEvents > 0 {
                rows.append(Row(figure: "  only \(latency.completed) of \(latency.tasks) reached uploaded/; \(latency.tasksMissingEvents) lack events"))
            }
        } else {
            heading("2. Hand-off latency, idle")
        }
        failed("hand-off latency")

        if let run = report.throughput {
            heading("3. End-to-end durable throughput (\(run.tasks) tasks of \(run.taskBytes) bytes, batches of \(run.batch), \(run.submitVia.rawValue))")
            rows.append(Row(figure: "  first submit -> all in uploaded/", measured: "\(whole(run.tasksPerSecond)) tasks/s (\(fixed(run.totalSeconds, 2)) s)",
                            target: "≥ \(whole(targets.throughputTasksPerSecond)) tasks/s", verdict: verdict(report.verdicts.throughput),
                            anchor: "Celery+Redis chain ≈ \(whole(targets.celeryRedisChainTasksPerSecond)) tasks/s (\(fixed(run.tasksPerSecond / targets.celeryRedisChainTasksPerSecond, 1))x)"))
            if let limit = report.filesystemLimit {
                rows.append(Row(figure: "  e2e / filesystem limit", measured: fixed(run.tasksPerSecond / limit.deliveriesPerSecond, 2) + "x",
                                target: "fs limit \(whole(limit.deliveriesPerSecond)) /s"))
            }
            if run.completed < run.tasks {
                rows.append(Row(figure: "  only \(run.completed) of \(run.tasks) reached uploaded/ in time"))
            }
            rows.append(Row(figure: "  submission alone", measured: "\(whole(run.submitTasksPerSecond)) tasks/s (\(fixed(run.submitSeconds, 2)) s, CPU \(fixed(run.submitterCPUSeconds, 2)) s)"))
            for stage in run.stages {
                let rate = stage.tasksPerSecond.map { "\(whole($0)) tasks/s over \(fixed(stage.activeSeconds ?? 0, 2)) s" } ?? "-"
                let cpu = stage.cpuSeconds.map { ", CPU \(fixed($0, 2)) s" } ?? ""
                rows.append(Row(figure: "  stage \(stage.stage) (first claim -> last hand-off)", measured: rate + cpu))
            }
            rows.append(Row(figure: "  machine CPU during the run (all CPUs)",
                            measured: "busy \(percent(run.machineCPU.busyShare)), iowait \(percent(run.machineCPU.ioWaitShare)), steal \(percent(run.machineCPU.stealShare))"))
            rows.append(Row(figure: "  busy CPU outside bench and daemons", measured: "\(fixed(run.otherCPUSeconds, 2)) s (kernel threads, other work)"))
        } else {
            heading("3. End-to-end durable throughput")
        }
        failed("throughput")

        if let scale = report.scale {
            heading("4. Scale (\(scale.backlog) tasks of \(scale.taskBytes) bytes waiting in new/, one build daemon)")
            rows.append(Row(figure: "  writing the backlog (no fsync)", measured: "\(fixed(scale.createSeconds, 1)) s (\(whole(Double(scale.backlog) / scale.createSeconds)) files/s)"))
            if let ready = scale.startToReadySeconds {
                rows.append(Row(figure: "  process start -> ready (first rescan done)", measured: "\(fixed(ready, 3)) s"))
            }
            rows.append(Row(figure: "  process start -> first claim", measured: "\(fixed(scale.startToFirstClaimSeconds, 3)) s",
                            target: "< \(whole(targets.firstClaimSeconds)) s", verdict: verdict(report.verdicts.firstClaim)))
            let span = fixed(scale.windowSeconds, scale.windowSeconds == 10 ? 0 : 1)
            rows.append(Row(figure: "  claims, first \(span) s", measured: "\(whole(scale.earlyRate)) /s (\(scale.earlyClaims))"))
            rows.append(Row(figure: "  claims, \(whole(scale.lateWindowStart))-\(whole(scale.lateWindowStart + scale.windowSeconds)) s after the first", measured: "\(whole(scale.lateRate)) /s (\(scale.lateClaims))"))
            rows.append(Row(figure: "  later rate / first rate (counted by \(scale.countedBy))", measured: fixed(scale.lateOverEarly, 2),
                            target: "≈ 1 (bench's bar: ≥ \(fixed(targets.lateOverEarlyAtLeast, 1)))", verdict: verdict(report.verdicts.claimRateHolds)))
            if let note = scale.note { rows.append(Row(figure: "  note: " + note)) }
            rows.append(Row(figure: "  peak resident memory (VmHWM)", measured: "\(fixed(Double(scale.peakResidentKiB) * 1024 / 1e6, 1)) MB",
                            target: "< \(whole(targets.peakResidentMegabytes)) MB", verdict: verdict(report.verdicts.peakMemory)))
            let cpu = scale.daemonCPUSeconds.map { "CPU \(fixed($0, 1)) s, " } ?? ""
            rows.append(Row(figure: "  daemon at SIGTERM", measured: "\(cpu)\(scale.claimedBeforeStop) claimed, exit in \(fixed(scale.stopSeconds, 2)) s"))
            rows.append(Row(figure: "  removing the spool", measured: "\(fixed(scale.removeSeconds, 1)) s"))
        } else if report.errors["scale"] != nil {
            heading("4. Scale")
        }
        failed("scale")

        if let hashing = report.hashing {
            heading("5. Artifact hashing (\(hashing.fileBytes >> 20) MiB file in the page cache, best of 3)")
            let openssl = hashing.opensslGBPerSecond.map { "\(fixed($0, 2)) GB/s" } ?? "not installed"
            rows.append(Row(figure: "  build stage (FileDigest, swift-crypto)", measured: "\(fixed(hashing.ownGBPerSecond, 2)) GB/s",
                            target: hashing.ownOverOpenssl.map { "\(fixed($0, 2))x openssl (goal ≥ \(fixed(targets.hashingOverOpensslAtLeast, 1))x)" } ?? "",
                            verdict: verdict(report.verdicts.hashing)))
            rows.append(Row(figure: "  openssl dgst -sha256", measured: openssl, target: "the limit"))
            rows.append(Row(figure: "  sha256sum", measured: hashing.sha256sumGBPerSecond.map { "\(fixed($0, 2)) GB/s" } ?? "-"))
        }
        failed("artifact hashing")

        if let signing = report.attestSigning {
            heading("6. Attestation signing (\(signing.tasks) tasks, one .deb each, \(signing.keyType) key, concurrency \(signing.concurrency))")
            let goal = "goal ≥ \(whole(targets.attestOverIntotoAtLeast))x"
            rows.append(Row(figure: "  attest stage --once, start -> exit", measured: "\(fixed(signing.attestationsPerSecond, 1)) attestations/s",
                            target: "\(fixed(signing.attestSeconds, 2)) s"))
            if let intoto = signing.intotoRun {
                rows.append(Row(figure: "  in-toto-run --gpg, one at a time", measured: "\(fixed(intoto.sequentialPerSecond, 2)) links/s",
                                target: "\(intoto.runs) in \(fixed(intoto.sequentialSeconds, 2)) s"))
                rows.append(Row(figure: "  in-toto-run --gpg, \(intoto.parallel) at a time", measured: "\(fixed(intoto.parallelPerSecond, 2)) links/s",
                                target: "\(intoto.runs) in \(fixed(intoto.parallelSeconds, 2)) s"))
            } else {
                rows.append(Row(figure: "  in-toto-run --gpg", measured: "skipped: " + (signing.intotoRunUnavailable ?? "?")))
            }
            if let ratio = signing.overIntotoParallel {
                rows.append(Row(figure: "  attest stage / in-toto-run, \(signing.concurrency) at a time", measured: fixed(ratio, 1) + "x",
                                target: goal, verdict: verdict(report.verdicts.attestSigning)))
            }
            if let ratio = signing.overIntotoSequential {
                rows.append(Row(figure: "  attest stage / in-toto-run one at a time", measured: fixed(ratio, 1) + "x",
                                target: goal, verdict: verdict(ratio >= targets.attestOverIntotoAtLeast)))
            }
            let gpg = signing.gpgDetachSign
            rows.append(Row(figure: "  gpg --detach-sign (\(signing.signedBytes) bytes), one at a time",
                            measured: "\(fixed(gpg.sequentialPerSecond, 1)) signatures/s", target: "\(gpg.runs) in \(fixed(gpg.sequentialSeconds, 2)) s"))
            rows.append(Row(figure: "  gpg --detach-sign, \(gpg.parallel) at a time", measured: "\(fixed(gpg.parallelPerSecond, 1)) signatures/s",
                            target: "the limit of signing through GnuPG"))
            rows.append(Row(figure: "  attest stage / gpg --detach-sign, \(gpg.parallel) at a time", measured: percent(signing.shareOfGPGParallel),
                            target: "of the limit"))
        } else if report.errors["attestation signing"] != nil {
            heading("6. Attestation signing")
        }
        failed("attestation signing")

        if let get = report.getSelection {
            heading("7. Get stage (\(get.listingLines)-line pool listing, \(get.listingBytes / 1_000_000) MB, against \(get.spoolTasks) tasks in the spool)")
            let met = verdict(report.verdicts.getSelection)
            rows.append(Row(figure: "  rebuilder get, start -> exit", measured: "\(fixed(get.getSeconds, 2)) s",
                            target: "< \(whole(targets.getSeconds)) s", verdict: met))
            rows.append(Row(figure: "  its peak resident memory", measured: "\(fixed(Double(get.peakResidentKiB) * 1024 / 1e6, 1)) MB",
                            target: "< \(whole(targets.getPeakResidentMegabytes)) MB", verdict: met))
            rows.append(Row(figure: "  curl of the same listing alone", measured: get.curlSeconds.map { "\(fixed($0, 2)) s" } ?? "-",
                            target: "the limit (download)"))
            rows.append(Row(figure: "  ls -f of uploaded/ and records/ alone", measured: "\(fixed(get.listSpoolSeconds, 2)) s",
                            target: "the limit (spool names)"))
            rows.append(Row(figure: "  it printed", measured: get.output))
        }
        failed("get selection")

        if let environment = report.environmentSetup {
            heading("8. Snapshot backend: hello-repro's environment (\(environment.packages) packages) from a local snapshot stand-in")
            func seconds(_ value: Double) -> String { "\(fixed(value, 1)) s" }
            rows.append(Row(figure: "  environment ready, empty cache", measured: seconds(environment.emptyCacheReadySeconds),
                            target: "whole rebuild \(seconds(environment.emptyCacheTotalSeconds))"))
            rows.append(Row(figure: "  environment ready, warm file cache", measured: seconds(environment.warmFilesReadySeconds),
                            target: "\(fixed(environment.warmFilesOverMmdebstrap, 2))x mmdebstrap (goal ≤ \(fixed(targets.warmFilesOverMmdebstrapAtMost, 1))x)",
                            verdict: verdict(report.verdicts.environmentWarmFiles)))
            rows.append(Row(figure: "  environment ready, cached environment", measured: seconds(environment.cachedEnvironmentReadySeconds),
                            target: "goal ≤ \(fixed(targets.cachedEnvironmentSeconds, 0)) s", verdict: verdict(report.verdicts.environmentCached)))
            rows.append(Row(figure: "  bare mmdebstrap of the same set", measured: seconds(environment.bareMmdebstrapSeconds), target: "the floor"))
            rows.append(Row(figure: "  bare dpkg-buildpackage on this host", measured: seconds(environment.bareBuildSeconds), target: "the floor"))
            rows.append(Row(figure: "  whole rebuild beyond it, cached environment", measured: seconds(environment.cachedOverheadSeconds),
                            target: "goal ≤ \(fixed(targets.rebuildOverheadSeconds, 0)) s", verdict: verdict(report.verdicts.rebuildOverhead)))
            rows.append(Row(figure: "  whole rebuild beyond it, warm file cache", measured: seconds(environment.warmFilesOverheadSeconds),
                            target: "(makes the environment)"))
        }
        failed("environment setup")

        if let keeper = report.logKeeper {
            heading("9. Log keeper: streams over its Unix socket, each committed signed, every line counted in the commit")
            rows.append(Row(figure: "  one stream of \(fixed(keeper.bigStreamMegabytes, 0)) MB (\(keeper.bigStreamLines) lines)",
                            measured: "\(fixed(keeper.bigStreamMegabytes / max(keeper.bigStreamSeconds, 0.001), 0)) MB/s",
                            target: "\(fixed(keeper.bigStreamSeconds, 1)) s, then \(fixed(keeper.bigStreamCommitSeconds, 1)) s to the receipt\(keeper.bigStreamCompressed ? " (xz)" : "")"))
            rows.append(Row(figure: "  its lines in the committed log", measured: "\(keeper.bigStreamKeptLines)",
                            target: "all \(keeper.bigStreamLines), in order", verdict: verdict(report.verdicts.logKeeperLines)))
            rows.append(Row(figure: "  \(keeper.concurrentStreams) streams of \(keeper.concurrentLinesEach) lines at once",
                            measured: "\(keeper.concurrentStreamsWhole) whole", target: "\(fixed(keeper.concurrentSeconds, 1)) s to the last receipt"))
            rows.append(Row(figure: "  keeper resident memory: after 1/10 of the big stream, at its end",
                            measured: "\(keeper.residentEarlyKiB / 1024) MB, \(keeper.residentEndKiB / 1024) MB", target: "flat"))
            rows.append(Row(figure: "  keeper peak resident memory", measured: "\(keeper.peakResidentKiB / 1024) MB",
                            target: "goal ≤ \(fixed(targets.logKeeperPeakResidentMegabytes, 0)) MB", verdict: verdict(report.verdicts.logKeeperMemory)))
        }
        failed("log keeper")

        if let webhook = report.webhook {
            heading("10. Webhook receiver: wrk, 2 threads, \(webhook.connections) connections, \(webhook.seconds) s a run, over 127.0.0.1")
            rows.append(Row(figure: "  pushes with a valid HMAC (each recorded, a get request written)", measured: "\(fixed(webhook.validPerSecond, 0)) req/s",
                            target: "goal ≥ \(fixed(targets.webhookValidPerSecond, 0)), \(webhook.validNot2xx) not 2xx", verdict: verdict(report.verdicts.webhookValid)))
            rows.append(Row(figure: "  requests with an invalid HMAC (403)", measured: "\(fixed(webhook.invalidPerSecond, 0)) req/s",
                            target: "goal ≥ \(fixed(targets.webhookInvalidPerSecond, 0)), \(webhook.invalid2xx) answered 2xx", verdict: verdict(report.verdicts.webhookInvalid)))
            rows.append(Row(figure: "  resident memory after \(webhook.totalRequests) requests", measured: "\(webhook.residentAfterKiB / 1024) MB",
                            target: "goal ≤ \(fixed(targets.webhookResidentMegabytes, 0)) MB (peak \(webhook.peakResidentKiB / 1024) MB)", verdict: verdict(report.verdicts.webhookMemory)))
        }
        failed("webhook")

        var lines = [
            "rebuilder-bench \(report.generatedAt): \(report.host), \(report.cpus) CPUs, \(report.filesystem) at \(report.workDirectory)",
            "rebuilder \(report.rebuilder); configuration: \(report.configuration)",
            "",
        ]
        let width = { (pick: (Row) -> String) in rows.filter { !$0.isHeading }.map { pick($0).count }.max() ?? 0 }
        let figureWidth = min(48, width(\.figure))
        let measuredWidth = width(\.measured), targetWidth = width(\.target), verdictWidth = width(\.verdict)
        for row in rows {
            if row.isHeading {
                lines.append(row.figure)
                continue
            }
            var line = pad(row.figure, figureWidth)
            if !(row.measured + row.target + row.verdict + row.anchor).isEmpty {
                line += "  " + pad(row.measured, measuredWidth) + "  " + pad(row.target, targetWidth) + "  "
                    + pad(row.verdict, verdictWidth) + "  " + row.anchor
            }
            lines.append(String(line.reversed().drop { $0 == " " }.reversed()))
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private static func milliseconds(_ distribution: Distribution?) -> String {
        guard let distribution else { return "-" }
        return "\(fixed(distribution.p50, 2)) / \(fixed(distribution.p99, 2)) / \(fixed(distribution.max, 2))"
    }

    static func fixed(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
    static func whole(_ value: Double) -> String { String(format: "%.0f", value) }
    static func percent(_ share: Double) -> String { String(format: "%.0f%%", share * 100) }
}
