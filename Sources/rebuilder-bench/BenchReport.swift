/// The figures' targets and the outside anchors they are compared with.
struct Targets: Codable, Sendable {
    var latencyP99Milliseconds = 2.0
    var celeryRedisHopMilliseconds = 8.0
    var throughputTasksPerSecond = 400.0
    var celeryRedisChainTasksPerSecond = 43.0
    var firstClaimSeconds = 5.0
    var peakResidentMegabytes = 300.0
    /// Later claim rate over early claim rate at or above this: claims do not slow as the backlog shrinks.
    var lateOverEarlyAtLeast = 0.8
    /// Artifact hashing speed over `openssl dgst -sha256` on the same file.
    var hashingOverOpensslAtLeast = 0.9
    /// Attestations/s through the attest stage over links/s of `in-toto-run --gpg`, both at the same concurrency.
    var attestOverIntotoAtLeast = 20.0
    /// The get stage on a 1,000,000-line listing against a 300,000-task spool.
    var getSeconds = 10.0
    var getPeakResidentMegabytes = 500.0
    /// The snapshot backend: environment ready from a warm file cache over bare mmdebstrap of the same set.
    var warmFilesOverMmdebstrapAtMost = 0.5
    /// Environment ready from the cached environment.
    var cachedEnvironmentSeconds = 3.0
    /// The whole rebuild from the cached environment, beyond bare dpkg-buildpackage.
    var rebuildOverheadSeconds = 10.0
    /// The log keeper's peak resident memory over a 200 MB stream and 20 streams at once.
    var logKeeperPeakResidentMegabytes = 64.0
    /// The webhook receiver on 2 cores over loopback: pushes with a valid HMAC (two files written
    /// each), refusals of an invalid one, and its resident memory after 100,000 requests.
    var webhookValidPerSecond = 500.0
    var webhookInvalidPerSecond = 2000.0
    var webhookResidentMegabytes = 64.0
}

/// Whether each target was met; nil where its run did not happen.
struct Verdicts: Codable, Sendable {
    var latencyP99: Bool?
    var throughput: Bool?
    var firstClaim: Bool?
    var claimRateHolds: Bool?
    var peakMemory: Bool?
    var hashing: Bool?
    /// Judged against in-toto-run at the attest stage's concurrency (the sequential ratio is printed beside it).
    var attestSigning: Bool?
    var getSelection: Bool?
    var environmentWarmFiles: Bool?
    var environmentCached: Bool?
    var rebuildOverhead: Bool?
    /// Every line of every stream kept, in order.
    var logKeeperLines: Bool?
    var logKeeperMemory: Bool?
    var webhookValid: Bool?
    var webhookInvalid: Bool?
    var webhookMemory: Bool?
}

/// Everything one run of the bench found.
struct BenchReport: Codable, Sendable {
    var generatedAt: String
    var host: String
    var cpus: Int
    var workDirectory: String
    var filesystem: String
    var rebuilder: String
    var configuration: String
    var targets = Targets()
    var verdicts = Verdicts()
    var filesystemLimit: FilesystemLimitResult?
    var latency: HandOffLatencyResult?
    var throughput: ThroughputResult?
    var scale: ScaleResult?
    var hashing: ArtifactHashingResult?
    var attestSigning: AttestSigningResult?
    var getSelection: GetSelectionResult?
    var environmentSetup: EnvironmentSetupResult?
    var logKeeper: LogKeeperLoadResult?
    var webhook: WebhookLoadResult?
    /// Run name → why it failed.
    var errors: [String: String] = [:]

    mutating func judge() {
        if let ratio = hashing?.ownOverOpenssl { verdicts.hashing = ratio >= targets.hashingOverOpensslAtLeast }
        if let ratio = attestSigning?.overIntotoParallel { verdicts.attestSigning = ratio >= targets.attestOverIntotoAtLeast }
        if let get = getSelection {
            verdicts.getSelection = get.getSeconds < targets.getSeconds
                && Double(get.peakResidentKiB) * 1024 / 1e6 < targets.getPeakResidentMegabytes
        }
        if let environment = environmentSetup {
            verdicts.environmentWarmFiles = environment.warmFilesOverMmdebstrap <= targets.warmFilesOverMmdebstrapAtMost
            verdicts.environmentCached = environment.cachedEnvironmentReadySeconds <= targets.cachedEnvironmentSeconds
            verdicts.rebuildOverhead = environment.cachedOverheadSeconds <= targets.rebuildOverheadSeconds
        }
        if let keeper = logKeeper {
            verdicts.logKeeperLines = keeper.bigStreamKeptLines == keeper.bigStreamLines && keeper.concurrentStreamsWhole == keeper.concurrentStreams
            verdicts.logKeeperMemory = Double(keeper.peakResidentKiB) * 1024 / 1e6 <= targets.logKeeperPeakResidentMegabytes
        }
        if let webhook {
            verdicts.webhookValid = webhook.validPerSecond >= targets.webhookValidPerSecond && webhook.validNot2xx == 0
            verdicts.webhookInvalid = webhook.invalidPerSecond >= targets.webhookInvalidPerSecond && webhook.invalid2xx == 0
            verdicts.webhookMemory = Double(webhook.residentAfterKiB) * 1024 / 1e6 <= targets.webhookResidentMegabytes
        }
        if let all = latency?.allHops { verdicts.latencyP99 = all.p99 < targets.latencyP99Milliseconds }
        if let throughput { verdicts.throughput = throughput.tasksPerSecond >= targets.throughputTasksPerSecond }
        if let scale {
            verdicts.firstClaim = scale.startToFirstClaimSeconds < targets.firstClaimSeconds
            verdicts.claimRateHolds = scale.lateOverEarly >= targets.lateOverEarlyAtLeast
            verdicts.peakMemory = Double(scale.peakResidentKiB) * 1024 / 1e6 < targets.peakResidentMegabytes
        }
    }
}
