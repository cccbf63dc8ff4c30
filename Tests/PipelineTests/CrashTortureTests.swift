import Foundation
import Glibc
import Spool
import Testing

@Suite(.serialized) struct CrashTortureTests {
    /// kill -9 of random stage daemons at random moments while tasks flow: no task is lost or in
    /// two places, and `rebuilder status` says what `find` sees.
    @Test func killNineAtRandomLosesAndDuplicatesNothing() throws {
        let fixture = try PipelineFixture(spoolSettings: "max-attempts = 50\nrescan-period = 0.5\nbackoff = 0.1\nmax-backoff = 1\n")
        try fixture.startStage("build", ["--concurrency", "2"])
        for stage in ["attest", "report", "upload"] { try fixture.startStage(stage) }
        var ids: [String] = []
        var kills = 0
        var generator = SystemRandomNumberGenerator()
        while kills < 220 {
            if kills % 11 == 0 && ids.count < 2000 {
                ids += try fixture.submitTasks(100, prefix: "crash\(ids.count / 100)x")
            }
            Thread.sleep(forTimeInterval: Double.random(in: 0.005...0.06, using: &generator))
            let stage = StageRoute.all.randomElement(using: &generator)!.stage.name
            guard let victim = fixture.daemons[stage]?.last(where: \.isRunning) else { continue }
            fixture.kill9(victim)
            kills += 1
            try fixture.startStage(stage, stage == "build" ? ["--concurrency", "2"] : [])
        }
        #expect(ids.count == 2000)

        let terminal = fixture.waitUntil(seconds: 300) {
            fixture.entries(.uploaded).count + fixture.entries(.failed).count >= ids.count
                && SpoolDirectory.allCases.filter { !$0.isTerminal && $0 != .tmp }.allSatisfy { fixture.entries($0).isEmpty }
        }
        #expect(terminal, "not all tasks finished\n\(fixture.daemonLogs().suffix(4000))")
        let status = try fixture.run(["status", "--json"])
        fixture.stopAll()

        var places: [String: [String]] = [:]
        for directory in SpoolDirectory.allCases {
            for name in fixture.entries(directory) {
                let id = TaskEntry(fileName: name)?.id.rawValue ?? name
                places[id, default: []].append(directory.rawValue)
            }
        }
        for id in ids {
            let found = places[id] ?? []
            #expect(found.count == 1, "\(id) found in \(found)")
            #expect(found.allSatisfy { $0 == "uploaded" || $0 == "failed" }, "\(id) in \(found)")
        }
        #expect(Set(places.keys) == Set(ids), "unexpected entries: \(Set(places.keys).subtracting(ids).prefix(5))")

        let reported = try JSONDecoder().decode(SpoolStatus.self, from: Data(status.utf8))
        for directory in reported.directories {
            #expect(directory.tasks == fixture.entries(SpoolDirectory(rawValue: directory.name)!).count, "\(directory.name)")
        }
        #expect(reported.inProgress.isEmpty)

        // The kills did land mid-work: some attempts were abandoned by dead holders and counted.
        let recoveries = try ids.reduce(0) { count, id in
            count + (try fixture.spool.history(of: TaskID(id)!).filter { $0.event == "recovered" }.count)
        }
        #expect(recoveries > 0)
        print("crash torture: \(kills) kills, \(recoveries) abandoned attempts recovered, \(fixture.entries(.failed).count) failed")
    }
}

@Suite(.serialized) struct ConcurrentDaemonTests {
    /// Four daemons of each claiming style on one spool: no task is worked on twice at once.
    @Test func fourDaemonsPerStageNeverOverlapOnATask() throws {
        let command = """
        echo "start $REBUILDER_STAGE $REBUILDER_TASK_ID" >> "$LEDGER"
        sleep 0.01
        echo "end $REBUILDER_STAGE $REBUILDER_TASK_ID" >> "$LEDGER"
        """
        let fixture = try PipelineFixture(command: command, spoolSettings: "rescan-period = 1\n")
        for _ in 0..<4 {
            try fixture.startStage("build", ["--concurrency", "2"])
            try fixture.startStage("attest")
        }
        let ids = try fixture.submitTasks(400)
        let done = fixture.waitUntil(seconds: 300) { fixture.entries(.reporting).count == ids.count }
        #expect(done, "\(fixture.entries(.reporting).count) of \(ids.count) attested\n\(fixture.daemonLogs().suffix(3000))")
        fixture.stopAll()

        var running = Set<String>()
        var starts: [String: Int] = [:]
        var overlaps: [String] = []
        for line in fixture.ledgerLines() {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts[0] == "start" {
                if !running.insert(parts[1]).inserted { overlaps.append(parts[1]) }
                starts[parts[1], default: 0] += 1
            } else {
                running.remove(parts[1])
            }
        }
        #expect(overlaps.isEmpty, "overlapping runs: \(overlaps.prefix(10))")
        for stage in ["build", "attest"] {
            #expect(ids.allSatisfy { starts["\(stage) \($0)"] == 1 }, "\(stage) did not run exactly once per task")
        }
    }
}
