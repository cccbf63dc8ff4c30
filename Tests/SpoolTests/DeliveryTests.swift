import Foundation
import Testing
@testable import Spool

@Suite struct DeliveryTests {
    @Test func deliversIntoNewAndRecordsTheContentHash() throws {
        let fixture = try TemporarySpool()
        let id = try fixture.deliver("hello_1.0-1_amd64.buildinfo")
        #expect(id.rawValue == "hello_1.0-1_amd64.buildinfo")
        #expect(try fixture.names(in: .new) == ["hello_1.0-1_amd64.buildinfo"])
        #expect(try fixture.names(in: .tmp).isEmpty)
        let recorded = try String(contentsOfFile: fixture.spool.recordPath(id, "sha256"), encoding: .utf8)
        #expect(recorded.count == 65)
        #expect(try fixture.spool.history(of: id).map(\.event) == ["submitted"])
    }

    @Test func identicalContentIsANoOpAndOtherContentGetsAHashedName() throws {
        let fixture = try TemporarySpool()
        let first = try fixture.deliver("hello_1.0-1_amd64.buildinfo", "one")
        let again = try fixture.spool.deliver([Submission(proposedID: first, content: Array("one".utf8))])
        #expect(again == [.alreadyPresent(first)])
        let other = try fixture.deliver("hello_1.0-1_amd64.buildinfo", "two")
        #expect(other.rawValue.hasPrefix("hello_1.0-1_amd64.sha256-"))
        #expect(other.rawValue.hasSuffix(".buildinfo"))
        #expect(try fixture.names(in: .new).count == 2)
        #expect(try fixture.names(in: .tmp).isEmpty)
        // The same other content again lands on the hashed name: a no-op too.
        #expect(try fixture.spool.deliver([Submission(proposedID: first, content: Array("two".utf8))]) == [.alreadyPresent(other)])
    }

    @Test func aTaskThatMovedOnIsStillRecognised() throws {
        let fixture = try TemporarySpool()
        let id = try fixture.deliver("a_1_all.buildinfo", "content")
        try fixture.claimed(id.rawValue, build).handOn()
        #expect(try fixture.spool.deliver([Submission(proposedID: id, content: Array("content".utf8))]) == [.alreadyPresent(id)])
        #expect(try fixture.names(in: .new).isEmpty)
    }

    @Test func aRecordLeftByADeliveryThatDiedIsReused() throws {
        let fixture = try TemporarySpool()
        let id = TaskID("orphan_1_all.buildinfo")!
        try FileManager.default.createDirectory(atPath: fixture.spool.recordPath(id), withIntermediateDirectories: false)
        #expect(try fixture.spool.deliver([Submission(proposedID: id, content: Array("x".utf8))]) == [.delivered(id)])
    }

    @Test func deliversLargeBatches() throws {
        let fixture = try TemporarySpool()
        let submissions = (0..<1200).map { Submission(proposedID: TaskID("t\($0)_1_all.buildinfo")!, content: Array("task \($0)".utf8)) }
        let results = try fixture.spool.deliver(submissions)
        #expect(Set(results.map(\.id)).count == 1200)
        #expect(try fixture.names(in: .new).count == 1200)
    }
}
