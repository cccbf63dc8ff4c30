import Buildinfo
import Fetching
import Publishing
import Spool
import Upstream

/// The get stage's job: for each target, find what upstream offers, skip what the spool already
/// has, download the rest and deliver it into new/ through tmp/. Running it twice in a row
/// delivers nothing the second time; a crash at any point leaves either a delivered task or
/// none (the next run fetches it again).
public struct Getter {
    public struct Settings: Sendable {
        /// Limits for listings, package sets and indexes.
        public var listingLimits: FetchLimits
        /// Limits for buildinfo files (their size cap is the spool's task size cap).
        public var buildinfoLimits: FetchLimits
        public var unpublishedDelay: Double
        public var unpublishedMaximumDelay: Double
        /// Requeue builds found in failed/ instead of skipping them.
        public var forceRetry: Bool

        public init(listingLimits: FetchLimits, buildinfoLimits: FetchLimits, unpublishedDelay: Double = 3600,
                    unpublishedMaximumDelay: Double = 86400, forceRetry: Bool = false) {
            self.listingLimits = listingLimits
            self.buildinfoLimits = buildinfoLimits
            self.unpublishedDelay = unpublishedDelay
            self.unpublishedMaximumDelay = unpublishedMaximumDelay
            self.forceRetry = forceRetry
        }
    }

    public var spool: Spool
    public var settings: Settings
    private let client = HTTPClient(userAgent: "PackageRebuilder-get")
    /// Deliveries per syncfs: enough to amortise the flush, few enough to lose little on a crash.
    static let batchSize = 64

    public init(spool: Spool, settings: Settings) {
        self.spool = spool
        self.settings = settings
    }

    /// Serialised with any other run on the spool (`get/.lock`), so a timer and a hand-started
    /// run never fetch the same builds at once.
    public func run(_ targets: [GetTarget], progress: (SpecReport) -> Void = { _ in }) throws -> GetReport {
        let lock = try DirectoryLock(directory: "\(spool.root)/get")
        defer { lock.release() }
        var report = GetReport()
        for target in targets {
            let specReport = try get(target)
            progress(specReport)
            report.specs.append(specReport)
        }
        return report
    }

    private func get(_ target: GetTarget) throws -> SpecReport {
        var report = SpecReport(spec: target.spec.raw, location: target.configured.location)
        let found: FoundBuilds
        do {
            found = try BuildFinder(client: client, limits: settings.listingLimits).find(target)
        } catch {
            report.listingFailed = true
            report.problems.append(error)
            return report
        }
        report.found = found.builds.count
        report.failed += found.rejected.count
        report.problems += found.rejected

        // Identities are read after the listing: a task delivered meanwhile is then seen.
        let identities = try spool.identities()
        let unpublished = UnpublishedBuilds(spool: spool, delay: settings.unpublishedDelay, maximumDelay: settings.unpublishedMaximumDelay)
        let labels = try taskLabels(target)
        var expected: [TaskID] = []
        var failedToRequeue: Set<TaskID> = []
        var batch: [Submission] = []

        let qubes = if case .qubes = target.upstream { true } else { false }
        for found in found.builds {
            guard let id = TaskID(found.build.fileName) else {
                report.failed += 1
                report.problems.append(GetError(subject: found.url, reason: "'\(found.build.fileName)' cannot be a task name"))
                continue
            }
            // Qubes OS names builds of both its specs alike: a task already delivered counts for
            // the spec it was delivered for, and a build of the other architecture for neither.
            var expectsIt = !qubes || !identities.recorded.contains(id.rawValue) || deliveredFor(id, target)
            defer { if expectsIt { expected.append(id) } }
            if let directory = identities.located[id] {
                if directory == .failed && settings.forceRetry { failedToRequeue.insert(id) } else { report.skipped += 1 }
                continue
            }
            if identities.recorded.contains(id.rawValue) && spool.wasDelivered(id) {
                report.skipped += 1
                continue
            }
            if let due = unpublished.due(id), due > Timestamp.now() {
                report.unpublished += 1
                continue
            }
            switch fetch(found, target: target) {
            case .deliver(let bytes):
                unpublished.clear(id)
                batch.append(Submission(proposedID: id, content: bytes, labels: labels))
                if batch.count == Self.batchSize { report.new += try deliver(&batch) }
            case .otherArchitecture:
                expectsIt = false
                report.skipped += 1
            case .unpublished(let error):
                let next = try unpublished.recordMiss(id, now: Timestamp.now())
                report.unpublished += 1
                report.problems.append(GetError(subject: error.subject, reason: "\(error.reason); asked for again after \(Timestamp.format(next))"))
            case .failed(let error):
                report.failed += 1
                report.problems.append(error)
            }
        }
        report.new += try deliver(&batch)
        if !failedToRequeue.isEmpty {
            let requeue = try spool.requeue(from: .failed, matching: { failedToRequeue.contains($0) })
            report.requeued = requeue.requeued.count
            report.skipped += failedToRequeue.count - requeue.requeued.count
        }
        try spool.setExpected(expected, group: target.spec.raw)
        // With several sets, each also gets its own list, so results can show every set apart
        // as the original's pages did.
        if found.packageSets.count > 1 {
            let sourceOf = Dictionary(found.builds.map { ($0.build.fileName, $0.build.source) }, uniquingKeysWith: { first, _ in first })
            for (set, names) in found.packageSets {
                let ids = expected.filter { sourceOf[$0.rawValue].map(names.contains) ?? false }
                try spool.setExpected(ids, group: target.spec.packageSetSpec(set))
            }
        }
        return report
    }

    private enum Fetched {
        case deliver([UInt8])
        case otherArchitecture
        case unpublished(GetError)
        case failed(GetError)
    }

    private func fetch(_ found: FoundBuild, target: GetTarget) -> Fetched {
        let bytes: [UInt8]
        do {
            bytes = try client.get(found.url, limits: settings.buildinfoLimits)
        } catch {
            let problem = GetError(subject: found.url, reason: error.reason)
            return error.kind == .notFound ? .unpublished(problem) : .failed(problem)
        }
        do {
            let buildinfo = try DownloadCheck.check(bytes, of: found.build, url: found.url)
            switch target.upstream {
            case .qubes:
                // Qubes OS names an architecture-independent build like an amd64 one; the file says which it is.
                let architecture = QubesRepository.buildArchitecture(architectures: buildinfo.architectures, requested: target.spec.architecture)
                return architecture == target.spec.architecture ? .deliver(bytes) : .otherArchitecture
            default:
                guard buildinfo.architectures.contains(found.build.architecture) else {
                    return .failed(GetError(subject: found.url, reason: "its Architecture is '\(buildinfo.architectures.joined(separator: " "))', without '\(found.build.architecture)' as its name says"))
                }
                return .deliver(bytes)
            }
        } catch {
            return .failed(error)
        }
    }

    private func deliver(_ batch: inout [Submission]) throws -> Int {
        defer { batch = [] }
        guard !batch.isEmpty else { return 0 }
        return try spool.deliver(batch, actor: Stage.get.name).filter { if case .delivered = $0 { true } else { false } }.count
    }

    private func deliveredFor(_ id: TaskID, _ target: GetTarget) -> Bool {
        guard let dist = (try? spool.labels(of: id))?["dist"] else { return true }
        return dist == target.spec.raw
    }

    private func taskLabels(_ target: GetTarget) throws -> TaskLabels {
        try TaskLabels(["distribution": target.configured.distribution, "project": target.project, "dist": target.spec.raw])
    }
}
