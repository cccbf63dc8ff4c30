import Foundation
import Glibc
import Spool
import Testing
@testable import StageDaemon

/// One job run: its process group killed at the timeout, its log capped, its exit mapped to
/// what the spool does with the task.
@Suite struct JobProcessTests {
    /// A claimed task on a scratch spool: its lock becomes the job's fd 3, its records hold the log.
    final class ScratchTask {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("job-\(UUID().uuidString)").path
        let task: ClaimedTask

        init() throws {
            try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
            let spool = Spool(root: base + "/spool")
            try spool.create()
            let id = try spool.deliver([Submission(proposedID: TaskID("job_1_all.buildinfo")!, content: Array("x".utf8))])[0].id
            // Claimed in place in attesting/: no check for a writer still at work, as new/ has.
            guard rename(spool.path(.new, id.rawValue), spool.path(.attesting, id.rawValue)) == 0,
                  case .claimed(let task) = try spool.claim(Array(id.rawValue.utf8), route: Stage.attest.route!, limits: ClaimLimits(),
                                                            syncer: nil) else {
                throw SpoolError("claim", path: id.rawValue, reason: "not claimed")
            }
            self.task = task
        }

        deinit { try? FileManager.default.removeItem(atPath: base) }

        func run(_ script: String, timeout: Double? = nil, logLimit: Int = 1 << 20) throws -> JobProcess.Outcome {
            var job = JobProcess(arguments: ["/bin/sh", "-c", script], files: try JobFiles(task.records, directory: "job", log: "job.log"),
                                 timeoutSeconds: timeout, logLimitBytes: logLimit)
            job.terminationGrace = 1
            return job.run(holding: task)
        }

        var log: String { (try? task.records.read("job.log", limit: 1 << 24)).map { String(decoding: $0 ?? [], as: UTF8.self) } ?? "" }
    }

    @Test func theTimeoutKillsTheWholeProcessGroup() throws {
        let scratch = try ScratchTask()
        let marker = "job-timeout-\(UUID().uuidString.prefix(8))"
        let outcome = try scratch.run("sh -c 'sleep 300; : \(marker)' & sh -c 'sleep 300; : \(marker)'; wait", timeout: 0.5)
        #expect(outcome.exit == .timedOut)
        let survivors = (try FileManager.default.contentsOfDirectory(atPath: "/proc")).filter { $0.allSatisfy(\.isNumber) }.filter { pid in
            (FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map { String(decoding: $0, as: UTF8.self) } ?? "").contains(marker)
        }
        #expect(survivors.isEmpty, "left running: \(survivors)")
    }

    @Test func theLogIsCappedAndSaysSoAndTheLastLineIsKept() throws {
        let scratch = try ScratchTask()
        let outcome = try scratch.run("head -c 100000 /dev/zero | tr '\\000' x; echo; echo the last line", logLimit: 1000)
        #expect(outcome.exit == .exited(0))
        #expect(outcome.logTruncated)
        #expect(outcome.lastLine == "the last line")
        let log = scratch.log
        #expect(log.hasPrefix(String(repeating: "x", count: 1000)))
        #expect(log.contains("log truncated here: over 1000 bytes"))
        #expect(log.utf8.count < 1200)
    }

    @Test func theJobRunsInItsRecordsDirectoryWithTheTaskLockedAsFd3() throws {
        let scratch = try ScratchTask()
        let outcome = try scratch.run("pwd; flock -n 3 && echo lockable || echo held by the stage")
        #expect(outcome.exit == .exited(0))
        #expect(scratch.log.contains(scratch.task.records.path("job")))
        // fd 3 is the stage's own locked descriptor: the job shares its lock.
        #expect(scratch.log.contains("lockable"))
    }

    @Test(arguments: [
        (JobProcess.Exit.exited(0), "done"),
        (.exited(75), "retry: the command asked to retry later (exit 75): last"),
        (.exited(2), "failed: the command exited with status 2: last"),
        (.signalled(9), "retry: killed by signal 9: last"),
        (.timedOut, "retry: timed out after 5.0 s: last"),
        (.couldNotStart("command not found: x"), "retry: command not found: x"),
    ])
    func exitsMapToWhatTheSpoolDoes(exit: JobProcess.Exit, verdict: String) {
        let outcome = JobProcess.Outcome(exit: exit, logTruncated: false, duration: 1, lastLine: "last")
        #expect(CommandWork.verdict(outcome, timeoutSeconds: 5).description == verdict)
    }
}
