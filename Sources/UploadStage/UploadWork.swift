import Foundation
import Publishing
import Spool
import StageDaemon

/// The upload stage: brings the task's project tree to the project's remote host with rsync
/// (`UploadPlan`). One upload covers every task published before it began, so a task whose
/// project was uploaded completely since its report is handed on without another run: the time
/// each complete upload began is kept in `<published root>/.uploads/<project>@<host>`.
/// Trouble (host down, disk full, cut connection) is retried with the spool's backoff.
public struct UploadWork: StageWork {
    public var settings: UploadSettings

    public init(settings: UploadSettings) { self.settings = settings }

    /// `records/<ID>/upload/links`: the links the second run sends, listed before the first began.
    static let linksFile = "links"

    public func perform(_ task: ClaimedTask) -> JobVerdict {
        let origin: TaskOrigin
        do {
            origin = try task.records.origin()
        } catch let error as TaskLabelError {
            return .failed(reason: "\(task.records.path("labels")): \(error)")
        } catch {
            return .retry(reason: "cannot read the task's labels: \(error)")
        }
        guard let remote = settings.remotes[origin.distribution] else {
            task.records.record(HistoryEvent(stage: .upload, event: "not-uploaded",
                                      detail: "no repo-remote-ssh-host in [\(origin.distribution)] or [common]"))
            return .done
        }
        let tree = PublishedTree(root: settings.publishedRoot, project: origin.project)
        let stamp = "\(settings.publishedRoot)/.uploads/\(origin.project.flattened)@\(remote.connection.destination)"
        let publishedAt = task.records.publishedAt ?? Timestamp.now()
        if let lastUpload = Self.lastUploadStart(stamp), lastUpload > publishedAt {
            task.records.record(HistoryEvent(stage: .upload, event: "uploaded",
                                      detail: "covered by the upload of \(origin.project) begun \(Timestamp.format(lastUpload))"))
            return .done
        }

        let started = Timestamp.now()
        let plan = UploadPlan(source: tree.path, remote: remote, project: origin.project)
        let files: JobFiles
        do {
            files = try JobFiles(task.records, directory: Stage.upload.recordsDirectory, log: Stage.upload.logName)
            let links = try plan.symbolicLinks()
            try task.records.replace("\(Stage.upload.recordsDirectory)/\(UploadWork.linksFile)", with: links.map { $0 + "\n" }.joined())
        } catch {
            return .retry(reason: "cannot list the links of \(tree.path): \(error)")
        }
        // The job runs in records/<ID>/upload/: the list is named relative to it.
        for (what, arguments) in [("files", plan.filesRun), ("links", plan.linksRun(listFile: UploadWork.linksFile))] {
            let job = JobProcess(arguments: arguments, environment: ProcessEnvironment.forJob(stage: .upload, task: task),
                                 files: files, timeoutSeconds: settings.timeoutSeconds, logLimitBytes: settings.logLimitBytes)
            let outcome = job.run(holding: task)
            guard outcome.exit == .exited(0) else {
                let tail = outcome.lastLine.map { ": \($0)" } ?? ""
                return .retry(reason: "rsync of the \(what) of \(tree.path) to \(plan.destination) failed (\(outcome.exit))\(tail)")
            }
        }
        do {
            try AtomicFiles.write(Array("\(Timestamp.format(started))\n".utf8), to: stamp)
        } catch {
            return .retry(reason: "uploaded, but cannot record it: \(error)")
        }
        task.records.record(HistoryEvent(stage: .upload, event: "uploaded", detail: "\(tree.path) to \(plan.destination)"))
        return .done
    }

    private static func lastUploadStart(_ stamp: String) -> Double? {
        guard let text = try? String(contentsOfFile: stamp, encoding: .utf8) else { return nil }
        return Timestamp.parse(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
