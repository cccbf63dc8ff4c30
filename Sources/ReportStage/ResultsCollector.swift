import Foundation
import Publishing
import Rebuild
import Results
import Spool

/// Reads every task of the spool into result rows: its state from the directory it is in, its
/// verdict from the build record, its published paths from the attest and report records. The
/// spool is read as it is, without locks: a task moving meanwhile is seen in one place or the
/// other, and the next regeneration sees it settled.
struct ResultsCollector {
    var spool: SpoolReader

    struct Collected {
        /// Project → its rows.
        var rows: [String: [TaskRow]] = [:]
        /// Project → per-stage job durations, from the tasks' histories.
        var durations: [String: [StageDurations]] = [:]
    }

    /// - Parameter projectOfSpec: distribution spec → its project, for the specs whose expected
    ///   builds (`expected/<spec>`, written by the get stage) are shown: a build with a task
    ///   is shown under every spec that expects it, one without a task as waiting.
    func collect(projectOfSpec: [String: String] = [:]) throws -> Collected {
        var collected = Collected()
        var durations: [String: [String: (count: Int, total: Double)]] = [:]
        for directory in SpoolDirectory.taskStates {
            for entry in try spool.tasks(in: directory) {
                let records = spool.records(of: entry.id)
                // A task whose labels cannot be read is counted where an unlabelled one would be.
                let labels = (try? records?.labels().values) ?? [:]
                let origin = try (try? TaskOrigin(labels: labels)) ?? TaskOrigin(labels: [:])
                let project = origin.project.description
                let history = (try? records?.history()) ?? []
                collected.rows[project, default: []].append(row(entry, in: directory, records: records, origin: origin, history: history))
                for (stage, seconds) in Self.jobDurations(history) {
                    durations[project, default: [:]][stage, default: (0, 0)].count += 1
                    durations[project, default: [:]][stage, default: (0, 0)].total += seconds
                }
            }
        }
        try addExpected(to: &collected, projectOfSpec: projectOfSpec)
        collected.durations = durations.mapValues { stages in
            stages.map { StageDurations(stage: $0.key, count: $0.value.count, totalSeconds: $0.value.total) }
        }
        return collected
    }

    private func addExpected(to collected: inout Collected, projectOfSpec: [String: String]) throws {
        var rowOfTask: [String: TaskRow] = [:]
        for row in collected.rows.values.joined() where rowOfTask[row.task] == nil { rowOfTask[row.task] = row }
        for (spec, ids) in try spool.expected() {
            guard let project = projectOfSpec[spec] else { continue }
            for id in ids {
                if var row = rowOfTask[id.rawValue] {
                    guard row.distribution != spec || row.project != project else { continue }
                    (row.distribution, row.project) = (spec, project)
                    collected.rows[project, default: []].append(row)
                } else {
                    let named = Self.nameParts(id)
                    collected.rows[project, default: []].append(TaskRow(
                        task: id.rawValue, project: project, distribution: spec, source: named.source, version: named.version,
                        architecture: named.architecture, status: .waiting, attempts: 0, updated: ""))
                }
            }
        }
    }

    private func row(_ entry: TaskEntry, in directory: SpoolDirectory, records: TaskRecords?, origin: TaskOrigin,
                     history: [HistoryEvent]) -> TaskRow {
        let id = entry.id
        let build = try? records?.buildResult()
        let attestation = try? records?.attestation()
        let report = try? records?.publishedReport()
        let named = Self.nameParts(id)
        let status: TaskStatus
        switch directory {
        case .new: status = entry.failedAttempts > 0 ? .retry : .waiting
        case .building: status = .building
        case .failed: status = .failed
        default: status = build.map { TaskStatus(rawValue: $0.verdict.rawValue) ?? .failed } ?? .waiting
        }
        return TaskRow(
            task: id.rawValue, project: origin.project.description, distribution: origin.dist,
            source: build?.source ?? named.source, version: build?.version ?? named.version, architecture: named.architecture,
            status: status, attempts: directory.isTerminal || directory == .new ? max(entry.failedAttempts, build?.attempt ?? 0) : entry.failedAttempts + 1,
            log: report?.log, metadata: attestation?.links.map(\.mergedLink) ?? [], diffoscope: report?.diffoscope ?? [],
            updated: history.last.map { Timestamp.format($0.time) } ?? "")
    }

    /// `<source>_<version>_<arch>.buildinfo`, the way Debian names buildinfo files.
    static func nameParts(_ id: TaskID) -> (source: String, version: String, architecture: String) {
        let stem = TaskPublisher.stem(of: id)
        let parts = stem.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        return parts.count == 3 ? (parts[0], parts[1], parts[2]) : (stem, "", "")
    }

    /// Each stage job's length: from its claim to the hand-on, deferral or failure that ended it.
    static func jobDurations(_ history: [HistoryEvent]) -> [(String, Double)] {
        var claimed: [String: Double] = [:]
        var result: [(String, Double)] = []
        for event in history {
            switch event.event {
            case "claimed": claimed[event.stage] = event.time
            case "handed", "deferred", "failed":
                if let start = claimed.removeValue(forKey: event.stage) { result.append((event.stage, event.time - start)) }
            default: break
            }
        }
        return result
    }
}
