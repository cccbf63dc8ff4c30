import RebuilderSettings
import Foundation
import Publishing
import Rebuild
import Spool
import StageDaemon

/// The report stage: publishes the task's build log, rebuilt buildinfo and diffoscope reports in
/// its project's tree, records that in `records/<ID>/report/published.json`, removes the rebuilt
/// files from the task's records, and regenerates the project's results when they are older than
/// `schedule_generate_results` (a timer runs `rebuilder results` for the quiet times).
public struct ReportWork: StageWork {
    public var results: ResultsGeneration
    /// Distribution section → seconds between regenerations.
    public var regenerationSeconds: [String: Double]

    public init(results: ResultsGeneration, regenerationSeconds: [String: Double]) {
        self.results = results
        self.regenerationSeconds = regenerationSeconds
    }

    public static let defaultRegenerationSeconds: Double = 300

    public func perform(_ task: ClaimedTask) -> JobVerdict {
        let origin: TaskOrigin
        let record: RebuildRecord?
        do {
            origin = try task.records.origin()
            record = try task.records.buildResult()
        } catch let error as TaskLabelError {
            return .failed(reason: "\(task.records.path("labels")): \(error)")
        } catch {
            return .retry(reason: "cannot read the task's records: \(error)")
        }
        let tree = PublishedTree(root: results.publishedRoot, project: origin.project)
        let publisher = TaskPublisher(records: task.records, tree: tree)
        do {
            let report = try publisher.publish(record: record)
            try task.records.writePublishedReport(report)
            try publisher.cleanWorkDirectory()
            let published = [report.log, report.buildinfo].compactMap { $0 } + report.diffoscope
            task.records.record(HistoryEvent(stage: .report, event: "reported",
                                      detail: "\(tree.path): \(published.isEmpty ? "nothing to publish" : published.joined(separator: ", "))"))
        } catch {
            return .retry(reason: "cannot publish into \(tree.path): \(error)")
        }

        let period = regenerationSeconds[origin.distribution] ?? Self.defaultRegenerationSeconds
        if (results.lastGenerated(project: origin.project) ?? 0) + period <= Timestamp.now() {
            do {
                try results.generate(projects: [origin.project.description])
            } catch {
                // The task itself is published; stale results are fixed by the next regeneration.
                task.records.record(HistoryEvent(stage: .report, event: "results-failed", detail: "\(error)"))
            }
        }
        return .done
    }
}

extension ReportWork {
    /// Results regenerated at each distribution's schedule_generate_results.
    public init(configuration: RebuilderConfiguration, spool: SpoolReader) {
        self.init(results: ResultsGeneration(configuration: configuration, spool: spool),
                  regenerationSeconds: configuration.presentDistributions.reduce(into: [:]) { periods, distribution in
                      periods[distribution.name] = distribution.scheduleGenerateResultsSeconds
                  })
    }
}
