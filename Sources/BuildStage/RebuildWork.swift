import Buildinfo
import Foundation
import LogKeeping
import OpenPGP
import Rebuild
import Spool
import StageDaemon

/// The build stage: reads the task's buildinfo, runs the backend with an empty output directory,
/// compares every artifact the buildinfo lists with what came out, and records the verdict in
/// `records/<ID>/build/result.json` (and `summary.out`) before the task moves on.
public struct RebuildWork: StageWork {
    public var settings: RebuildSettings
    /// Sources held by a signed command: their tasks wait in new/ until released.
    public var holds: Holds?

    public init(settings: RebuildSettings, holds: Holds? = nil) {
        self.settings = settings
        self.holds = holds
    }

    public func perform(_ task: ClaimedTask) -> JobVerdict {
        let records = task.records
        let recordDirectory = records.path(BuildRecords.directory)
        let outputDirectory = records.path(BuildRecords.output)
        let buildinfo: Buildinfo
        do {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: task.path))
            buildinfo = try Buildinfo.parse(Array(bytes.prefix(settings.maxTaskBytes + 1)), path: task.path)
        } catch let error as BuildinfoError {
            return .failed(reason: error.description)
        } catch {
            return .retry(reason: "cannot read \(task.path): \(error)")
        }
        if let held = holds?.reason(for: buildinfo.source) {
            return .postponed(reason: "source \(buildinfo.source) is held (\(held))")
        }
        if buildinfo.checksumsSha256.count > settings.maxArtifacts {
            return .failed(reason: "\(task.path): lists \(buildinfo.checksumsSha256.count) files in Checksums-Sha256, "
                + "over the limit of \(settings.maxArtifacts) ([stage.build] max-artifacts)")
        }
        var signer: String?
        let distribution = (try? task.records.labels())?["distribution"]
        if let verifier = distribution.flatMap({ settings.distributionVerifiers[$0] }) ?? settings.signatureVerifier {
            guard let signature = buildinfo.signature else {
                return .failed(reason: "\(task.path): not signed, and buildinfo-keyring is set: unsigned buildinfo files are refused")
            }
            let verifiedBy: String
            do {
                let verified = try verifier.verify(signedText: signature.canonicalSignedText, armoredSignature: signature.armoredSignature)
                verifiedBy = verified.fingerprint + (verified.userID.map { " \($0)" } ?? "")
            } catch {
                return .failed(reason: "\(task.path): \(error)")
            }
            signer = verifiedBy
            task.records.record(HistoryEvent(stage: .build, event: "verified", detail: "signed by \(verifiedBy)"))
        }
        if let refusal = BuildEnvironment.refusal(of: buildinfo.environment, onHost: settings.backend.buildsOnHost,
                                                  signatureVerified: signer != nil) {
            return .failed(reason: "\(task.path): \(refusal)")
        }
        let buildDirectory: BuildLocation
        switch settings.buildPaths.directory(for: buildinfo, fallbackRoot: records.path(BuildRecords.tree)) {
        case .success(let directory): buildDirectory = directory
        case .failure(let error): return .failed(reason: "\(task.path): \(error)")
        }
        let files: JobFiles
        do {
            files = try JobFiles(records, directory: BuildRecords.directory, log: Stage.build.logName)
            // Before anything is made in it, so that the output and tree are the build user's group's too.
            if let user = settings.buildUser, settings.remote == nil {
                try user.share(directory: files.directory, path: recordDirectory)
            }
            // Whatever is there (a link planted in its place included) goes, as itself, unfollowed.
            try records.remove(BuildRecords.output)
            try records.makeDirectory(BuildRecords.output)
            if buildDirectory.root == records.path(BuildRecords.tree) { try records.makeDirectory(BuildRecords.tree) }
        } catch {
            return .retry(reason: "cannot create \(outputDirectory): \(error)")
        }

        let attempt = task.entry.failedAttempts + 1
        let keptLog: LogSender?
        do {
            let project = try task.records.origin().project
            keptLog = try settings.logKeeperSocket.map { socket throws(LogStreamError) in
                try LogSender(socket: socket, header: LogStreamHeader(task: task.id, attempt: attempt, project: project))
            }
        } catch let error as TaskLabelError {
            return .failed(reason: "\(task.records.path("labels")): \(error)")
        } catch {
            return .retry(reason: "the build's log cannot go to the log keeper: \(error)")
        }

        let started = Timestamp.now()
        let (outcome, infrastructureTrouble) = runBackend(for: task, buildDirectory: buildDirectory, outputDirectory: outputDirectory,
                                                          distribution: distribution, files: files, mirror: keptLog)
        let tail = outcome.lastLine.map { ": \($0)" } ?? ""
        let where_ = settings.remote.map { " on \($0.destination)" } ?? ""
        if let keptLog {
            keptLog.end("the \(settings.backend.name) backend ended: \(outcome.exit)\(tail)")
            // Without the whole log at the keeper there will be no receipt to sign after.
            if let broken = keptLog.broken { return .retry(reason: "the log keeper did not get the whole log: \(broken)") }
        }
        if let infrastructureTrouble { return .retry(reason: "\(infrastructureTrouble)\(where_)\(tail)") }
        if case .exited(255) = outcome.exit, let remote = settings.remote { return .retry(reason: "ssh to \(remote.destination) failed\(tail)") }
        // The status the backend ran to: 0 it built, anything else it failed to build.
        let backendStatus: Int32
        switch outcome.exit {
        case .couldNotStart(let why): return .retry(reason: "the \(settings.backend.name) backend could not start\(where_): \(why)")
        case .timedOut: return .retry(reason: "the \(settings.backend.name) backend timed out after \(settings.timeoutSeconds ?? 0) s\(where_)\(tail)")
        case .signalled(let signal): return .retry(reason: "the \(settings.backend.name) backend was killed by signal \(signal)\(where_)\(tail)")
        case .exited(75): return .retry(reason: "the \(settings.backend.name) backend could not run now (exit 75)\(where_)\(tail)")
        case .exited(let code): backendStatus = code
        }

        let artifacts: [ArtifactResult]
        do {
            artifacts = try ArtifactComparison.compare(buildinfo.checksumsSha256, outputDirectory: outputDirectory)
        } catch {
            return .retry(reason: "cannot read the rebuilt files: \(error)")
        }
        let exitText = "exit \(backendStatus)"
        let verdict = backendStatus == 0 ? ArtifactComparison.verdict(of: artifacts) : .ftbfs
        var record = RebuildRecord(
            task: task.id.rawValue, source: buildinfo.source, version: buildinfo.version.description, verdict: verdict,
            backend: settings.backend.name, attempt: attempt, started: Timestamp.format(started),
            durationSeconds: outcome.duration, backendExit: exitText, logTruncated: outcome.logTruncated, artifacts: artifacts,
            signer: signer)
        if verdict == .unreproducible {
            record.diffoscope = DiffoscopeRunner(settings: settings).compare(artifacts.filter { !$0.matches && $0.rebuiltSHA256 != nil },
                                                                            outputDirectory: outputDirectory, records: records,
                                                                            holding: task)
        }
        do {
            try records.replace(BuildRecords.result, with: Array(record.json()))
            try records.replace(BuildRecords.summary, with: Array(record.summaryOut()))
        } catch {
            return .retry(reason: "cannot write the result record: \(error)")
        }
        let differing = artifacts.filter { !$0.matches }.count
        let failure = backendStatus == 0 ? "" : " (backend \(exitText)\(tail))"
        task.records.record(HistoryEvent(stage: .build, event: "verdict",
                                  detail: "\(verdict.rawValue): \(artifacts.count - differing) of \(artifacts.count) artifacts identical\(failure)"))
        let sameVerdicts: Int
        do {
            sameVerdicts = try VerdictTally(records: records).adding(verdict)
        } catch {
            return .retry(reason: "cannot record the verdict: \(error)")
        }
        return decide(verdict, times: sameVerdicts, detail: "\(differing) of \(artifacts.count) artifacts differ\(failure)")
    }

    /// Runs the backend here, or on the remote host through its copy-in, run, copy-back steps. The
    /// second value names a failed transfer step, which is infrastructure trouble.
    private func runBackend(for task: ClaimedTask, buildDirectory: BuildLocation, outputDirectory: String, distribution: String?,
                            files: JobFiles, mirror: (any OutputMirror)?) -> (JobProcess.Outcome, String?) {
        let local = settings.backend.arguments(buildinfo: task.path, outputDirectory: outputDirectory, buildDirectory: buildDirectory,
                                               rebuilder: settings.rebuilderExecutable, distribution: distribution)
        let steps = settings.remote?.steps(task: task.id.rawValue, buildinfo: task.path, outputDirectory: outputDirectory,
                                           buildDirectory: buildDirectory, backend: settings.backend, distribution: distribution)
            ?? [RemoteHost.Step(role: .backend, arguments: settings.buildUser?.wrap(local) ?? local)]
        var backendOutcome = JobProcess.Outcome(exit: .couldNotStart("no backend step"), logTruncated: false, duration: 0)
        for step in steps {
            let job = JobProcess(arguments: step.arguments, environment: ProcessEnvironment.forJob(stage: .build, task: task),
                                 files: files, timeoutSeconds: settings.timeoutSeconds, logLimitBytes: settings.logLimitBytes,
                                 mirror: mirror)
            let outcome = job.run(holding: task)
            switch step.role {
            case .backend:
                backendOutcome = outcome
                if case .exited(let code) = outcome.exit, code == 0 || (code != 75 && code != 255) { continue }
                return (outcome, nil)
            case .transfer:
                if outcome.exit != JobProcess.Exit.exited(0) {
                    return (outcome, "copying to or from the build host failed (\(step.arguments[0]) \(outcome.exit))")
                }
            }
        }
        return (backendOutcome, nil)
    }

    /// A reproducible result is final at once; the others once they came out the same way their
    /// own number of times. Those retries have their own limit, apart from the spool's
    /// max-attempts, which bounds retries for infrastructure trouble.
    func decide(_ verdict: Verdict, times: Int, detail: String) -> JobVerdict {
        let ownLimit = TaskEntry.maximumAttempts
        switch verdict {
        case .reproducible:
            return .done
        case .unreproducible where times < settings.unreproducibleAttempts:
            return .retry(reason: "unreproducible (\(detail)); rebuilding, \(times) of \(settings.unreproducibleAttempts) builds so far", limit: ownLimit)
        case .ftbfs where times < settings.ftbfsAttempts:
            return .retry(reason: "failed to build (\(detail)); trying again, \(times) of \(settings.ftbfsAttempts) builds so far", limit: ownLimit)
        case .unreproducible, .ftbfs:
            return .done
        }
    }
}

extension LogSender: OutputMirror {}
