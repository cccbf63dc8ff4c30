import Foundation
import Spool

/// What one stage did during the throughput run, from the tasks' histories and /proc.
struct StageActivity: Codable, Sendable {
    var stage: Stage
    /// From its first claim to its last hand-off.
    var activeSeconds: Double?
    var tasksPerSecond: Double?
    /// CPU time its daemon used during the run.
    var cpuSeconds: Double?
}

struct ThroughputResult: Codable, Sendable {
    var tasks: Int
    var batch: Int
    var submitVia: SubmitMethod
    var taskBytes: Int
    /// From the first submission until the last delivery returned.
    var submitSeconds: Double
    var submitTasksPerSecond: Double
    /// From the first submission until every task was in uploaded/.
    var totalSeconds: Double
    var tasksPerSecond: Double
    var completed: Int
    /// CPU used by the submitting side (this process, or the `rebuilder submit` processes).
    var submitterCPUSeconds: Double
    /// The machine's CPU time (every CPU) during the run.
    var machineCPU: SystemCPU.Usage
    /// Busy CPU time not used by the submitter or the four daemons: kernel threads (journal,
    /// writeback) and anything else running on the machine.
    var otherCPUSeconds: Double
    var stages: [StageActivity]
}

/// End-to-end durable throughput: the four pass-through daemons running, `tasks` delivered in
/// batches, timed until all of them are in uploaded/.
enum Throughput {
    static func measure(directory: String, launcher: StageLauncher, tasks: Int, batch: Int,
                        via method: SubmitMethod) throws -> ThroughputResult {
        let spool = Spool(root: "\(directory)/spool")
        try spool.create()
        let submissions = (0..<tasks).map { index in
            let id = TaskContent.id("bench", index)
            return Submission(proposedID: id, content: TaskContent.buildinfo(for: id, index: index))
        }
        var files: [String] = []
        if method == .cli {
            let incoming = "\(directory)/incoming"
            try FileManager.default.createDirectory(atPath: incoming, withIntermediateDirectories: false)
            for submission in submissions {
                let file = "\(incoming)/\(submission.proposedID.rawValue)"
                guard FileManager.default.createFile(atPath: file, contents: Data(submission.content)) else {
                    throw WorkAreaError(description: "cannot write \(file)")
                }
                files.append(file)
            }
        }

        let daemons = try launcher.startPipeline(spool: spool)
        defer { for daemon in daemons { daemon.stop() } }
        Clock.sleep(0.2)

        let daemonCPUBefore = daemons.map { ProcessStatus.cpuSeconds(of: $0.pid) ?? 0 }
        let cpuBefore = SystemCPU.snapshot()
        let submitterCPUBefore = ProcessStatus.ownCPUSeconds()
        let began = Clock.monotonic()
        for start in stride(from: 0, to: tasks, by: batch) {
            let end = min(start + batch, tasks)
            switch method {
            case .inProcess:
                _ = try spool.deliver(Array(submissions[start..<end]))
            case .cli:
                try submitWithCommand(launcher: launcher, spool: spool, files: Array(files[start..<end]))
            }
        }
        let submitted = Clock.monotonic()
        let submitterCPU = ProcessStatus.ownCPUSeconds() - submitterCPUBefore
        Progress.note("throughput: \(tasks) submitted in \(String(format: "%.2f", submitted - began)) s; waiting for uploaded/")

        let uploaded = spool.path(.uploaded)
        let deadline = submitted + max(60, Double(tasks) / 20)
        var completed = DirectoryCount.tasks(in: uploaded)
        var lastNote = submitted
        while completed < tasks && Clock.monotonic() < deadline {
            try DaemonProcess.checkAlive(daemons)
            Clock.sleep(0.01)
            completed = DirectoryCount.tasks(in: uploaded)
            if Clock.monotonic() - lastNote > 5 {
                lastNote = Clock.monotonic()
                Progress.note("throughput: \(completed)/\(tasks) in uploaded/")
            }
        }
        let finished = Clock.monotonic()
        let machine = SystemCPU.snapshot().usage(since: cpuBefore)
        let benchCPU = ProcessStatus.ownCPUSeconds() - submitterCPUBefore
        let daemonCPU = zip(daemons, daemonCPUBefore).map { daemon, before in
            ProcessStatus.cpuSeconds(of: daemon.pid).map { $0 - before }
        }
        for daemon in daemons { daemon.stop() }
        if completed < tasks { Progress.note("throughput: only \(completed) of \(tasks) reached uploaded/ in time") }

        return ThroughputResult(
            tasks: tasks, batch: batch, submitVia: method, taskBytes: submissions.first?.content.count ?? 0,
            submitSeconds: submitted - began, submitTasksPerSecond: Double(tasks) / (submitted - began),
            totalSeconds: finished - began, tasksPerSecond: Double(completed) / (finished - began), completed: completed,
            submitterCPUSeconds: submitterCPU, machineCPU: machine,
            otherCPUSeconds: machine.busySeconds - benchCPU - daemonCPU.map { $0 ?? 0 }.reduce(0, +),
            stages: stageActivity(spool: spool, ids: submissions.map(\.proposedID), cpu: daemonCPU))
    }

    private static func submitWithCommand(launcher: StageLauncher, spool: Spool, files: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher.rebuilder)
        process.arguments = ["submit", "--spool", spool.root] + (launcher.config.map { ["--config", $0] } ?? []) + files
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DaemonError(description: "rebuilder submit exited with status \(process.terminationStatus)")
        }
    }

    /// Each stage's busy span and rate, from the histories of every task.
    private static func stageActivity(spool: Spool, ids: [TaskID], cpu: [Double?]) -> [StageActivity] {
        var firstClaim: [Stage: Double] = [:]
        var lastHanded: [Stage: Double] = [:]
        var handed: [Stage: Int] = [:]
        for id in ids {
            let history = PipelineHistory(spool: spool, id: id)
            for stage in StageLauncher.pipeline {
                if let claimed = history.time(stage, "claimed") { firstClaim[stage] = min(firstClaim[stage] ?? claimed, claimed) }
                if let time = history.time(stage, "handed") {
                    lastHanded[stage] = max(lastHanded[stage] ?? time, time)
                    handed[stage, default: 0] += 1
                }
            }
        }
        return StageLauncher.pipeline.enumerated().map { index, stage in
            var activity = StageActivity(stage: stage, cpuSeconds: index < cpu.count ? cpu[index] : nil)
            if let first = firstClaim[stage], let last = lastHanded[stage], last > first {
                activity.activeSeconds = last - first
                activity.tasksPerSecond = Double(handed[stage, default: 0]) / (last - first)
            }
            return activity
        }
    }
}
