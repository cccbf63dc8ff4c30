import Foundation
import Testing
@testable import Spool

@Suite struct InspectionTests {
    @Test func statusCountsTasksAndShowsHolders() throws {
        let fixture = try TemporarySpool()
        _ = try fixture.deliver("a_1_all.buildinfo")
        let b = try fixture.deliver("b_1_all.buildinfo")
        // Due far in the future, so that a stalled test runner still sees it deferred.
        _ = try fixture.claimed(b.rawValue, build).retry(reason: "later", now: Timestamp.now() + 100_000)
        let c = try fixture.deliver("c_1_all.buildinfo")
        let held = try fixture.claimed(c.rawValue, build)

        let status = try fixture.spool.status()
        let new = try #require(status.directories.first { $0.name == "new" })
        #expect(new.tasks == 2)
        #expect(new.deferred == 1)
        #expect(new.oldestWaitingSeconds != nil)
        #expect(status.inProgress.count == 1)
        #expect(status.inProgress.first?.task == "c_1_all.buildinfo")
        #expect(status.inProgress.first?.state == "held")
        #expect(status.inProgress.first?.pid == getpid())
        try held.handOn()
    }

    @Test func aMirrorCopyReportsRecordedHoldersOfOtherHosts() throws {
        let fixture = try TemporarySpool()
        let id = try fixture.deliver("m_1_all.buildinfo")
        try fixture.claimed(id.rawValue, build).handOn()
        let record = HolderRecord(entry: id.rawValue, stage: "attest", actor: Actor(host: "builder-7", pid: 4242), started: 1_795_000_000)
        try record.text.write(toFile: fixture.spool.path(.attesting, HolderRecord.fileName(for: id)), atomically: false, encoding: .utf8)

        let mirror = Spool(root: fixture.base + "/mirror")
        try FileManager.default.copyItem(atPath: fixture.spool.root, toPath: mirror.root)
        try mirror.validate(readOnly: true)
        let progress = try mirror.status().inProgress
        #expect(progress.count == 1)
        #expect(progress.first?.host == "builder-7")
        #expect(progress.first?.pid == 4242)
        #expect(progress.first?.state == "recorded")
        let report = try mirror.report(on: id)
        #expect(report.places.map(\.directory) == ["attesting"])
        #expect(report.history.map(\.event) == ["submitted", "claimed", "handed"])
    }

    @Test func aMissingSpoolIsAClearError() throws {
        let spool = Spool(root: "/nonexistent/spool")
        #expect(throws: SpoolError.self) { try spool.validate(readOnly: true) }
        do {
            try spool.validate(readOnly: true)
        } catch let error as SpoolError {
            #expect(error.description.contains("/nonexistent/spool"))
        }
    }
}
