import Spool

struct ScaleResult: Codable, Sendable {
    var backlog: Int
    var taskBytes: Int
    var createSeconds: Double
    /// From just before the process was started to its "ready" log line (after its first rescan).
    var startToReadySeconds: Double?
    /// From just before the process was started to the `claimed` time in the first task's history.
    var startToFirstClaimSeconds: Double
    var windowSeconds: Double
    /// Window starts, in seconds after the first claim.
    var earlyWindowStart: Double
    var lateWindowStart: Double
    var earlyClaims: Int
    var lateClaims: Int
    var earlyRate: Double
    var lateRate: Double
    var lateOverEarly: Double
    /// `readdir` (tasks in building/ + attesting/ at the window edges) or `inotify` (renames into building/).
    var countedBy: String
    var peakResidentKiB: Int
    var residentAtStopKiB: Int
    var daemonCPUSeconds: Double?
    var claimedBeforeStop: Int
    var stopSeconds: Double
    var removeSeconds: Double
    var note: String?
}

/// A large backlog: one build daemon (pass-through) started on a spool whose new/ already holds
/// `backlog` tasks. How soon it claims, whether its claim rate holds up as it works through the
/// backlog, and how much memory it needs.
enum Scale {
    static let window = 10.0
    static let lateStart = 30.0

    static func measure(directory: String, area: WorkArea, launcher: StageLauncher, backlog: Int) throws -> ScaleResult {
        let spool = Spool(root: "\(directory)/spool")
        try spool.create()
        Progress.note("scale: writing \(backlog) tasks into new/")
        let createSeconds = try BacklogWriter.write(count: backlog, into: spool.path(.new))
        Progress.note("scale: \(backlog) backlog files written in \(String(format: "%.1f", createSeconds)) s; starting one build daemon")

        let building = spool.path(.building), attesting = spool.path(.attesting)
        let watcher = try MoveWatcher(directory: building)
        var watcherStopped = false
        defer { if !watcherStopped { watcher.stop() } }
        let daemon = try launcher.start(.build, spool: spool)
        defer { daemon.stop() }

        // (a) The first claim: the first rename into building/, its time read back from the history.
        let startDeadline = Clock.monotonic() + 300
        while watcher.first == nil {
            try DaemonProcess.checkAlive([daemon])
            guard Clock.monotonic() < startDeadline else { throw DaemonError(description: "no claim within 300 s") }
            Clock.sleep(0.0005)
        }
        let arrival = watcher.first!
        let firstID = TaskEntry(fileName: arrival.name)?.id
        // The history line is appended just after the rename: give it a moment to appear.
        var recorded: Double?
        for _ in 0..<200 where recorded == nil {
            recorded = firstID.flatMap { PipelineHistory(spool: spool, id: $0).time(.build, "claimed") }
            if recorded == nil { Clock.sleep(0.001) }
        }
        let claimWall = recorded ?? arrival.wall
        let firstClaim = Clock.monotonic() - (Clock.wall() - claimWall)
        Progress.note("scale: first claim \(String(format: "%.3f", claimWall - daemon.startedAt)) s after start; counting claims for \(Int(lateStart + window)) s")

        // (b) Claims in two windows, counted with readdir at the window edges; (c) memory meanwhile.
        let edges = [firstClaim + window, firstClaim + lateStart, firstClaim + lateStart + window]
        var counts: [(time: Double, count: Int)] = []
        var peak = 0
        var drainedAt: Double?
        while counts.count < edges.count {
            try DaemonProcess.checkAlive([daemon])
            if let memory = ProcessStatus.memory(of: daemon.pid) { peak = max(peak, memory.peakKiB) }
            if !watcher.overflowed && watcher.count >= backlog {
                drainedAt = Clock.monotonic()
                break
            }
            let now = Clock.monotonic()
            if now >= edges[counts.count] {
                let count = DirectoryCount.tasks(in: building) + DirectoryCount.tasks(in: attesting)
                counts.append(((now + Clock.monotonic()) / 2, count))
                Progress.note("scale: \(count) claimed \(Int(now - firstClaim)) s after the first claim")
                continue
            }
            Clock.sleep(min(0.25, edges[counts.count] - now))
        }
        let memory = ProcessStatus.memory(of: daemon.pid)
        peak = max(peak, memory?.peakKiB ?? 0)
        let cpu = ProcessStatus.cpuSeconds(of: daemon.pid)
        let stopSeconds = daemon.stop()
        watcher.stop()
        watcherStopped = true
        let claimedBeforeStop = DirectoryCount.tasks(in: building) + DirectoryCount.tasks(in: attesting)

        var result = ScaleResult(
            backlog: backlog, taskBytes: TaskContent.small(index: 0).count, createSeconds: createSeconds,
            startToReadySeconds: daemon.log.readyAt.map { $0 - daemon.startedAt },
            startToFirstClaimSeconds: claimWall - daemon.startedAt, windowSeconds: window,
            earlyWindowStart: 0, lateWindowStart: lateStart, earlyClaims: 0, lateClaims: 0, earlyRate: 0, lateRate: 0,
            lateOverEarly: 0, countedBy: "readdir", peakResidentKiB: peak, residentAtStopKiB: memory?.residentKiB ?? 0,
            daemonCPUSeconds: cpu, claimedBeforeStop: claimedBeforeStop, stopSeconds: stopSeconds, removeSeconds: 0)
        if counts.count == edges.count {
            // The first claim itself counts as the first of the early window.
            result.earlyClaims = counts[0].count
            result.lateClaims = counts[2].count - counts[1].count
            result.earlyRate = Double(result.earlyClaims) / (counts[0].time - firstClaim)
            result.lateRate = Double(result.lateClaims) / (counts[2].time - counts[1].time)
        } else {
            // The backlog ran out first: windows from the inotify count, as long as the run allows.
            let end = watcher.lastArrival ?? drainedAt ?? Clock.monotonic()
            let span = min(window, (end - firstClaim) / 2)
            result.countedBy = "inotify"
            result.windowSeconds = span
            result.lateWindowStart = end - span - firstClaim
            result.earlyClaims = watcher.count(at: firstClaim + span)
            result.lateClaims = watcher.count(at: end) - watcher.count(at: end - span)
            result.earlyRate = Double(result.earlyClaims) / span
            result.lateRate = Double(result.lateClaims) / span
            result.note = "the backlog ran out \(String(format: "%.1f", end - firstClaim)) s after the first claim: windows of \(String(format: "%.1f", span)) s"
        }
        result.lateOverEarly = result.earlyRate > 0 ? result.lateRate / result.earlyRate : 0
        Progress.note("scale: removing the spool")
        result.removeSeconds = area.remove(directory)
        return result
    }
}
