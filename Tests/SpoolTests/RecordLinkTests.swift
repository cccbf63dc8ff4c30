import Foundation
import Glibc
import Testing
@testable import Spool

/// Links planted in `records/` (anyone with the spool's user can, a build included) are never
/// followed: nothing is written, read or removed outside the spool through them.
@Suite struct RecordLinkTests {
    /// A directory outside the spool that a planted link points at; it must stay empty.
    private func outside(_ fixture: TemporarySpool) throws -> String {
        let path = fixture.base + "/outside"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aTaskWhoseRecordsAreALinkIsQuarantinedWithThatReason() throws {
        let fixture = try TemporarySpool()
        let target = try outside(fixture)
        let id = TaskID("planted_1_all.buildinfo")!
        #expect(FileManager.default.createFile(atPath: fixture.spool.path(.new, id.rawValue), contents: Data("x".utf8)))
        #expect(symlink(target, fixture.spool.recordPath(id)) == 0)

        guard case .quarantined(let name, let reason) = try fixture.claim(id.rawValue, build) else {
            Issue.record("not quarantined")
            return
        }
        #expect(reason.contains("records/\(id) is not a plain directory"), "\(reason)")
        #expect(try fixture.names(in: .failed) == [name])
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
    }

    @Test func aTaskHeldWhenItsRecordsBecameALinkIsQuarantinedByTheSweep() throws {
        let fixture = try TemporarySpool()
        let target = try outside(fixture)
        let id = try fixture.deliver("swept_1_all.buildinfo")
        try FileManager.default.removeItem(atPath: fixture.spool.recordPath(id))
        #expect(symlink(target, fixture.spool.recordPath(id)) == 0)
        #expect(rename(fixture.spool.path(.new, id.rawValue), fixture.spool.path(.building, id.rawValue)) == 0)

        let report = try fixture.spool.recover(route: build, syncer: nil)
        #expect(report.failed == [id])
        #expect(try fixture.names(in: .building).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
    }

    @Test func deliveryRefusesALinkedRecordAndWritesNothingThrough() throws {
        let fixture = try TemporarySpool()
        let target = try outside(fixture)
        let id = TaskID("linked_1_all.buildinfo")!
        #expect(symlink(target, fixture.spool.recordPath(id)) == 0)
        #expect {
            try fixture.spool.deliver([Submission(proposedID: id, content: Array("x".utf8))])
        } throws: { ($0 as? SpoolError)?.isNotPlainRecords == true }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
        #expect(try fixture.names(in: .new).isEmpty)
    }

    @Test func filesInsideTheRecordsAreNotFollowedEither() throws {
        let fixture = try TemporarySpool()
        let target = try outside(fixture)
        let secret = target + "/secret"
        #expect(FileManager.default.createFile(atPath: secret, contents: Data("secret".utf8)))
        let id = try fixture.deliver("inner_1_all.buildinfo")
        let records = try fixture.spool.records(of: id)
        unlink(records.path("history"))
        #expect(symlink(secret, records.path("history")) == 0)
        #expect(symlink(secret, records.path("build.log")) == 0)
        #expect(symlink(target, records.path("build")) == 0)

        fixture.spool.record(HistoryEvent(stage: "build", event: "claimed"), for: id)
        #expect(throws: SpoolError.self) { try records.read("build.log") }
        #expect(throws: SpoolError.self) { try records.appendLine("build.log", "x") }
        #expect(throws: SpoolError.self) { try records.replace("build/result.json", with: "{}") }
        #expect(throws: SpoolError.self) { try records.makeDirectory("build") }
        // Removing the link removes the link, not what it points at.
        try records.remove("build")
        #expect(!records.exists("build"))
        #expect(try String(contentsOfFile: secret, encoding: .utf8) == "secret")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["secret"])
    }

    @Test func aTreeWithLinksInsideIsRemovedWithoutFollowingThem() throws {
        let fixture = try TemporarySpool()
        let target = try outside(fixture)
        #expect(FileManager.default.createFile(atPath: target + "/keep", contents: Data("keep".utf8)))
        let id = try fixture.deliver("tree_1_all.buildinfo")
        let records = try fixture.spool.records(of: id)
        try records.makeDirectory("build")
        try records.makeDirectory("build/output")
        #expect(symlink(target, records.path("build/output/escape")) == 0)
        try records.replace("build/output/a.deb", with: "deb")
        try records.remove("build/output")
        #expect(!records.exists("build/output"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["keep"])
    }
}
