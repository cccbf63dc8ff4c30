import Foundation
import Testing
@testable import Spool

@Suite struct RecoveryTests {
    @Test func aTaskLeftInBuildingByADeadHolderGoesBackWithOneMoreAttempt() throws {
        let fixture = try TemporarySpool()
        let id = try fixture.deliver("d_1_amd64.buildinfo")
        do {
            // The holder "dies": its descriptor closes with no transition, as on kill -9.
            _ = try fixture.claimed(id.rawValue, build)
        }
        #expect(try fixture.names(in: .building).contains("d_1_amd64.buildinfo"))
        let report = try fixture.spool.recover(route: build, syncer: nil)
        #expect(report.requeued == [id])
        #expect(try fixture.names(in: .building).isEmpty)
        #expect(try fixture.names(in: .new) == ["d_1_amd64.buildinfo:1"])
        guard case .claimed = try fixture.claim("d_1_amd64.buildinfo:1", build) else { Issue.record("requeued task not due"); return }
    }

    @Test func aLiveHolderIsLeftAlone() throws {
        let fixture = try TemporarySpool()
        let id = try fixture.deliver("e_1_amd64.buildinfo")
        let task = try fixture.claimed(id.rawValue, build)
        let report = try fixture.spool.recover(route: build, syncer: nil)
        #expect(report.requeued.isEmpty)
        #expect(try fixture.spool.recover(route: build, isHeldHere: { $0 == id }, syncer: nil).requeued.isEmpty)
        try task.handOn()
    }

    @Test func anInPlaceStageCountsTheAttemptOfADeadHolder() throws {
        let fixture = try TemporarySpool()
        let id = try fixture.deliver("f_1_amd64.buildinfo")
        try fixture.claimed(id.rawValue, build).handOn()
        do { _ = try fixture.claimed(id.rawValue, attest) }
        #expect(try fixture.names(in: .attesting) == [".holder-f_1_amd64.buildinfo", "f_1_amd64.buildinfo"])
        let report = try fixture.spool.recover(route: attest, syncer: nil)
        #expect(report.requeued == [id])
        #expect(try fixture.names(in: .attesting) == ["f_1_amd64.buildinfo:1"])
    }

    @Test func theNextClaimCountsADeadHolderWhenNoSweepRanFirst() throws {
        let fixture = try TemporarySpool(policy: RetryPolicy(maxAttempts: 2))
        let id = try fixture.deliver("g_1_amd64.buildinfo")
        try fixture.claimed(id.rawValue, build).handOn()
        do { _ = try fixture.claimed(id.rawValue, attest) }
        let second = try fixture.claimed(id.rawValue, attest)
        #expect(second.entry.failedAttempts == 1)
        #expect(try fixture.names(in: .attesting) == [".holder-g_1_amd64.buildinfo", "g_1_amd64.buildinfo:1"])
        _ = second
    }

    @Test func holdersThatDieTooOftenFailTheTask() throws {
        let fixture = try TemporarySpool(policy: RetryPolicy(maxAttempts: 2))
        let id = try fixture.deliver("h_1_amd64.buildinfo")
        do { _ = try fixture.claimed(id.rawValue, build) }
        _ = try fixture.spool.recover(route: build, syncer: nil)
        do { _ = try fixture.claimed("h_1_amd64.buildinfo:1", build) }
        let report = try fixture.spool.recover(route: build, syncer: nil)
        #expect(report.failed == [id])
        #expect(try fixture.names(in: .failed) == ["h_1_amd64.buildinfo"])
        #expect(try fixture.spool.reason(of: id)?.contains("died") == true)
    }

    @Test func staleHolderRecordsAndOldTemporariesAreRemoved() throws {
        let fixture = try TemporarySpool()
        try "entry=gone\n".write(toFile: fixture.spool.path(.attesting, ".holder-gone_1_all.buildinfo"), atomically: false, encoding: .utf8)
        let temporary = fixture.spool.path(.tmp, "123.P1Q1.host")
        try "half".write(toFile: temporary, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: temporary)
        try "fresh".write(toFile: fixture.spool.path(.tmp, "124.P1Q2.host"), atomically: false, encoding: .utf8)
        let report = try fixture.spool.recover(route: attest, syncer: nil)
        #expect(report.staleHoldersRemoved == 1)
        #expect(try fixture.spool.removeAbandonedTemporaries() == 1)
        #expect(try fixture.names(in: .tmp) == ["124.P1Q2.host"])
        #expect(try fixture.names(in: .attesting).isEmpty)
    }
}
