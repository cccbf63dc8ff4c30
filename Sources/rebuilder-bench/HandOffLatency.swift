import Glibc
import Spool

struct HopLatency: Codable, Sendable {
    var hop: String
    /// Milliseconds.
    var latency: Distribution?
    /// Hops whose claim is stamped before the event it follows (see the report's note).
    var negative: Int
}

struct HandOffLatencyResult: Codable, Sendable {
    var tasks: Int
    var pauseMilliseconds: Double
    var completed: Int
    var tasksMissingEvents: Int
    var hops: [HopLatency]
    /// All four hops of every task, milliseconds.
    var allHops: Distribution?
    /// The three hops from one stage daemon to the next, milliseconds.
    var stageToStage: Distribution?
    /// How long one `Spool.deliver` of one task took (fsync of the file, rename, fsync of new/), ms.
    var deliverCall: Distribution?
    /// From the moment `Spool.deliver` was called to the build claim, ms.
    var deliverCallToBuildClaim: Distribution?
    var seconds: Double
    /// The same kind of hop with no spool code in it, measured just before (see WakeupFloor).
    var floor: WakeupFloorResult
}

/// Hand-off latency with the pipeline idle: four pass-through daemons, tasks submitted one at a
/// time with a pause between them, every hop read back from the tasks' histories.
enum HandOffLatency {
    static func measure(directory: String, launcher: StageLauncher, tasks: Int, pause: Double) throws -> HandOffLatencyResult {
        let floorDirectory = "\(directory)/floor"
        guard mkdir(floorDirectory, 0o755) == 0 else { throw FilesystemError("mkdir", floorDirectory) }
        let floor = try WakeupFloor.measure(in: floorDirectory, samples: min(tasks, 300), pause: pause)

        let spool = Spool(root: "\(directory)/spool")
        try spool.create()
        let daemons = try launcher.startPipeline(spool: spool)
        defer { for daemon in daemons { daemon.stop() } }
        Clock.sleep(0.2)

        let submissions = (0..<tasks).map { index in
            let id = TaskContent.id("lat", index)
            return Submission(proposedID: id, content: TaskContent.buildinfo(for: id, index: index))
        }
        var callStarted: [TaskID: Double] = [:]
        var callDurations: [Double] = []
        let began = Clock.monotonic()
        for (index, submission) in submissions.enumerated() {
            let wall = Clock.wall()
            let start = Clock.monotonic()
            _ = try spool.deliver([submission])
            callDurations.append(Clock.monotonic() - start)
            callStarted[submission.proposedID] = wall
            if (index + 1) % 100 == 0 { Progress.note("latency: \(index + 1)/\(tasks) submitted") }
            try DaemonProcess.checkAlive(daemons)
            try Interrupted.check()
            Clock.sleep(pause)
        }
        let deadline = Clock.monotonic() + 30
        var completed = DirectoryCount.tasks(in: spool.path(.uploaded))
        while completed < tasks && Clock.monotonic() < deadline {
            try DaemonProcess.checkAlive(daemons)
            Clock.sleep(0.01)
            completed = DirectoryCount.tasks(in: spool.path(.uploaded))
        }
        let seconds = Clock.monotonic() - began

        var perHop = Array(repeating: [Double](), count: PipelineHistory.hops.count)
        var toBuildClaim: [Double] = []
        var missing = 0
        for submission in submissions {
            let history = PipelineHistory(spool: spool, id: submission.proposedID)
            let hops = PipelineHistory.hops.map { history.hop($0) }
            if hops.contains(where: { $0 == nil }) { missing += 1 }
            for (index, hop) in hops.enumerated() { if let hop { perHop[index].append(hop * 1000) } }
            if let claim = history.time(.build, "claimed"), let called = callStarted[submission.proposedID] {
                toBuildClaim.append((claim - called) * 1000)
            }
        }
        let hops = zip(PipelineHistory.hops, perHop).map { hop, values in
            HopLatency(hop: hop.name, latency: Distribution(values), negative: values.filter { $0 < 0 }.count)
        }
        return HandOffLatencyResult(
            tasks: tasks, pauseMilliseconds: pause * 1000, completed: completed, tasksMissingEvents: missing, hops: hops,
            allHops: Distribution(perHop.flatMap { $0 }), stageToStage: Distribution(perHop.dropFirst().flatMap { $0 }),
            deliverCall: Distribution(callDurations.map { $0 * 1000 }),
            deliverCallToBuildClaim: Distribution(toBuildClaim), seconds: seconds, floor: floor)
    }
}
