import Foundation
import Glibc
import Spool
import Testing

@Suite(.serialized) struct HostileInputTests {
    /// Entries that are not tasks, dropped straight into new/ under a running build daemon.
    @Test func nonTasksAreQuarantinedAndTheDaemonKeepsWorking() throws {
        let fixture = try PipelineFixture(command: "echo \"$REBUILDER_STAGE $REBUILDER_TASK_ID $(wc -c < \"$1\")\" >> \"$LEDGER\"")
        let daemon = try fixture.startStage("build")
        let new = fixture.spool.path(.new)
        let outside = fixture.base + "/outside-file"
        try "not for the spool".write(toFile: outside, atomically: false, encoding: .utf8)
        let outsideBefore = try FileManager.default.attributesOfItem(atPath: outside)

        #expect(symlink(outside, new + "/link_1_all.buildinfo") == 0)
        #expect(mkfifo(new + "/fifo_1_all.buildinfo", 0o644) == 0)
        #expect(mkdir(new + "/dir_1_all.buildinfo", 0o755) == 0)
        #expect(FileManager.default.createFile(atPath: new + "/empty_1_all.buildinfo", contents: Data()))
        #expect(FileManager.default.createFile(atPath: new + "/huge_1_all.buildinfo", contents: nil))
        #expect(truncate(new + "/huge_1_all.buildinfo", 100 << 20) == 0)
        let badNames: [[UInt8]] = [Array("a..b_1_all.buildinfo".utf8), Array("new\nline_1_all.buildinfo".utf8),
                                   Array("-rf_1_all.buildinfo".utf8), [0x62, 0x61, 0x64, 0xFF, 0xFE]]
        for name in badNames {
            let path = (Array(new.utf8) + [0x2F] + name + [0]).map { CChar(bitPattern: $0) }
            let fd = path.withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) }
            #expect(fd >= 0)
            _ = write(fd, "Source: x\n", 10)
            close(fd)
        }

        // A file still being written is not taken, however long its writer pauses.
        let slowPath = new + "/slow_1_all.buildinfo"
        let writer = open(slowPath, O_WRONLY | O_CREAT, 0o644)
        _ = write(writer, "Source: slow\n", 13)
        let quarantined = fixture.waitUntil(seconds: 30) { fixture.entries(.failed).count == 9 }
        #expect(quarantined, "failed/: \(fixture.entries(.failed))\n\(fixture.daemonLogs())")
        Thread.sleep(forTimeInterval: 3)
        #expect(fixture.entries(.new) == ["slow_1_all.buildinfo"])
        #expect(!fixture.ledgerLines().contains { $0.contains("slow") })
        _ = write(writer, "Version: 1\n", 11)
        close(writer)
        let slowTaken = fixture.waitUntil(seconds: 40) { fixture.ledgerLines().contains("build slow_1_all.buildinfo 24") }
        #expect(slowTaken, "ledger: \(fixture.ledgerLines())")

        // Each quarantined entry has a reason naming it; nothing outside the spool changed.
        let reasons = try fixture.entries(.failed).filter { $0.hasPrefix("quarantine-") }.map {
            try String(contentsOfFile: fixture.spool.recordPath(TaskID($0)!, "reason"), encoding: .utf8)
        }
        for expected in ["'link_1_all.buildinfo' in new/: is a symbolic link",
                         "'fifo_1_all.buildinfo' in new/: is a fifo, not a regular file",
                         "'dir_1_all.buildinfo' in new/: is a directory, not a regular file",
                         "'empty_1_all.buildinfo' in new/: is empty",
                         "'huge_1_all.buildinfo' in new/: is 104857600 bytes, over the limit of 33554432",
                         "'a..b_1_all.buildinfo' in new/: name contains '..'",
                         "'new\\nline_1_all.buildinfo' in new/: name contains a newline",
                         "'-rf_1_all.buildinfo' in new/: name starts with '-'",
                         "'bad\\xff\\xfe' in new/: name is not valid UTF-8"] {
            #expect(reasons.contains(expected + "\n"), "no reason \(expected) in \(reasons)")
        }
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "not for the spool")
        let outsideAfter = try FileManager.default.attributesOfItem(atPath: outside)
        #expect(outsideBefore[.modificationDate] as? Date == outsideAfter[.modificationDate] as? Date)

        // Still running, still working.
        #expect(daemon.isRunning)
        let ids = try fixture.submitTasks(3, prefix: "after")
        #expect(fixture.waitUntil(seconds: 20) { Set(fixture.entries(.attesting)).isSuperset(of: ids) })
        #expect(daemon.isRunning)
    }

    /// The command's verdicts: exit 75 retries with backoff, other statuses fail with the reason,
    /// and `rebuilder retry` brings failed tasks back.
    @Test func commandVerdictsShowAndRetry() throws {
        let command = """
        case "$REBUILDER_TASK_ID" in
          bad*) echo "broken input in $REBUILDER_TASK_ID"; exit 3 ;;
          later*) echo "mirror unreachable"; exit 75 ;;
        esac
        echo "$REBUILDER_STAGE $REBUILDER_TASK_ID" >> "$LEDGER"
        """
        let fixture = try PipelineFixture(command: command, spoolSettings: "max-attempts = 3\nbackoff = 0.2\nrescan-period = 0.5\n")
        try fixture.startStage("build")
        let bad = try fixture.submitTasks(2, prefix: "bad")
        let later = try fixture.submitTasks(1, prefix: "later")
        let good = try fixture.submitTasks(2, prefix: "good")
        #expect(fixture.waitUntil(seconds: 30) { fixture.entries(.failed).count == 3 && fixture.entries(.attesting).count == 2 },
                "\(fixture.daemonLogs())")

        let badReport = try fixture.run(["show", bad[0], "--json"])
        let decoded = try JSONDecoder().decode(TaskReport.self, from: Data(badReport.utf8))
        #expect(decoded.places.first?.directory == "failed")
        #expect(decoded.reason == "the command exited with status 3: broken input in \(bad[0])")
        let laterReport = try JSONDecoder().decode(TaskReport.self, from: Data(try fixture.run(["show", later[0], "--json"]).utf8))
        #expect(laterReport.reason == "gave up after 3 attempts; the last: the command asked to retry later (exit 75): mirror unreachable")
        #expect(laterReport.history.filter { $0.event == "deferred" }.count == 2)
        #expect(Set(fixture.entries(.attesting)) == Set(good))

        #expect(try fixture.run(["retry", "--match", "bad*"]) == "requeued 2\n")
        #expect(try fixture.run(["show", "nonexistent_1_all.buildinfo"], expectStatus: 1).isEmpty)
    }

    /// Without inotify, rescans alone drive every stage.
    @Test func rescansAloneDriveThePipeline() throws {
        let fixture = try PipelineFixture(spoolSettings: "rescan-period = 0.2\n")
        try fixture.startAllStages(["--no-watch"])
        let ids = try fixture.submitTasks(200)
        let done = fixture.waitUntil(seconds: 120) { fixture.entries(.uploaded).count == ids.count }
        #expect(done, "\(fixture.entries(.uploaded).count) of \(ids.count)\n\(fixture.daemonLogs().suffix(2000))")
        #expect(fixture.daemonLogs().contains("rescans only"))
    }

    @Test func aSpoolThatDoesNotExistIsAClearError() throws {
        let fixture = try PipelineFixture()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PipelineFixture.binary)
        process.arguments = ["status", "--spool", fixture.base + "/missing"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 74)
        #expect(message.contains("\(fixture.base)/missing: no spool here"))
    }
}
