import SystemPackage
import Glibc

public struct RequeueReport: Sendable {
    public var requeued: [TaskID] = []
    /// Entries that match but cannot go back, with why.
    public var skipped: [(String, String)] = []
}

extension Spool {
    /// Sends finished tasks (failed or uploaded) back to new/ for a fresh run: attempt count reset,
    /// due now. Quarantined entries are not tasks and stay where they are.
    public func requeue(from directory: SpoolDirectory, matching: (TaskID) -> Bool,
                        syncer: DirectorySyncer? = nil, now: Double = Timestamp.now()) throws -> RequeueReport {
        guard directory.isTerminal else {
            throw SpoolError("retry", path: path(directory), reason: "only failed/ and uploaded/ can be retried from")
        }
        var report = RequeueReport()
        for entry in try listing(directory).tasks.sorted(by: { $0.id < $1.id }) where matching(entry.id) {
            if isQuarantined(entry.id) {
                report.skipped.append((entry.fileName, "quarantined: not a task (see `rebuilder show \(entry.id)`)"))
                continue
            }
            let source = path(directory, entry.fileName)
            let fd = open(source, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            do {
                try SystemCalls.setModificationTime(fd, to: now, path: source)
            } catch let error as SpoolError where error.errno == .notPermitted {
                // Another stage's file (one user per stage): it keeps its older time, which is
                // as due as now.
            }
            do {
                try SystemCalls.renameNoReplace(source, path(.new, entry.id.rawValue))
            } catch let error as SpoolError where error.errno == .fileExists || error.errno == .noSuchFileOrDirectory {
                report.skipped.append((entry.fileName, error.errno == .fileExists ? "a task of that name is already in new/" : "gone"))
                continue
            }
            record(HistoryEvent(time: now, stage: "retry", event: "requeued", detail: "from \(directory.rawValue)/"), for: entry.id)
            report.requeued.append(entry.id)
        }
        if !report.requeued.isEmpty {
            syncer?.markDirty(path(.new))
            try SystemCalls.syncDirectory(path(.new))
        }
        return report
    }
}
