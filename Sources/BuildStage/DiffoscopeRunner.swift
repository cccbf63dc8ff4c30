import Foundation
import Rebuild
import Spool
import StageDaemon

/// Runs diffoscope on each differing artifact against the distribution's own file, when both
/// diffoscope and the shipped packages are available, with a time limit and an output cap.
struct DiffoscopeRunner {
    let settings: RebuildSettings

    /// Artifact name → report path relative to `records/<ID>/build/`, where diffoscope runs.
    func compare(_ differing: [ArtifactResult], outputDirectory: String, records: TaskRecords,
                 holding task: ClaimedTask) -> [String: String] {
        guard let shipped = settings.shippedPackages, !differing.isEmpty,
              JobProcess.resolveExecutable("diffoscope") != nil else { return [:] }
        let files: JobFiles
        do {
            try records.makeDirectory(BuildRecords.diffoscope)
            files = try JobFiles(records, directory: BuildRecords.directory, log: BuildRecords.diffoscopeLog)
        } catch {
            return [:]
        }
        var result: [String: String] = [:]
        for artifact in differing {
            let original = "\(shipped)/\(artifact.name)"
            guard FileManager.default.fileExists(atPath: original) else { continue }
            let report = "\(BuildRecords.diffoscopeName)/\(artifact.name).txt"
            let job = JobProcess(arguments: ["diffoscope", "--text", report,
                                             "--max-report-size", String(settings.diffoscopeLimitBytes),
                                             original, "\(outputDirectory)/\(artifact.name)"],
                                 environment: ProcessEnvironment.current, files: files,
                                 timeoutSeconds: settings.diffoscopeTimeoutSeconds, logLimitBytes: 1 << 20)
            // diffoscope exits 1 when the files differ, which is the expected case here.
            if case .exited(let code) = job.run(holding: task).exit, code <= 1 {
                result[artifact.name] = report
            }
        }
        return result
    }
}
