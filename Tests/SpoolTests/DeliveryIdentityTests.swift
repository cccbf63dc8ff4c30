import Foundation
import Glibc
import Testing
@testable import Spool

/// One identity, one task: whatever a delivery died at, and whatever the task is doing while the
/// same content is delivered again, concurrently or not.
@Suite struct DeliveryIdentityTests {
    let content = Array("Source: moving\nVersion: 1\n".utf8)
    let id = TaskID("moving_1_all.buildinfo")!

    /// Every place an entry of this identity (or its hashed variant) is, across the state directories.
    private func copies(_ fixture: TemporarySpool) throws -> [String] {
        try SpoolDirectory.taskStates.flatMap { directory in
            try fixture.names(in: directory).filter { $0.hasPrefix("moving_1_all.") }.map { "\(directory.rawValue)/\($0)" }
        }
    }

    /// Runs `count` deliveries of the same content at once while the task is renamed back and
    /// forth between attesting/ and reporting/, as stages would; then checks that exactly one
    /// copy of it is anywhere and that no delivery failed. Returns what the deliveries said.
    private func deliverWhileMoving(_ fixture: TemporarySpool, _ count: Int) throws -> [DeliveryResult] {
        let stop = StopFlag()
        let mover = Thread { [spool = fixture.spool, id] in
            var here = SpoolDirectory.attesting
            while !stop.isSet {
                let there: SpoolDirectory = here == .attesting ? .reporting : .attesting
                if rename(spool.path(here, id.rawValue), spool.path(there, id.rawValue)) == 0 { here = there }
            }
        }
        mover.start()
        let (results, errors) = deliverConcurrently(fixture, count)
        stop.set()
        while !mover.isFinished { usleep(1000) }
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        let found = try copies(fixture)
        #expect(found.count == 1, "\(found)")
        return results
    }

    /// Runs `count` deliveries of the same content at once; returns their results and errors.
    private func deliverConcurrently(_ fixture: TemporarySpool, _ count: Int) -> (results: [DeliveryResult], errors: [String]) {
        let outcomes = Outcomes<DeliveryResult>()
        DispatchQueue.concurrentPerform(iterations: count) { [spool = fixture.spool, id, content] _ in
            do {
                outcomes.add(try spool.deliver([Submission(proposedID: id, content: content)]))
            } catch {
                outcomes.fail(error)
            }
        }
        return (outcomes.values, outcomes.errors)
    }

    @Test func aResubmitWhileTheTaskMovesBetweenStagesIsANoOp() throws {
        // The issue's reproduction: the record lost its hash and the task is moving between stages.
        let fixture = try TemporarySpool()
        _ = try fixture.spool.deliver([Submission(proposedID: id, content: content)])
        unlink(fixture.spool.recordPath(id, "sha256"))
        #expect(rename(fixture.spool.path(.new, id.rawValue), fixture.spool.path(.attesting, id.rawValue)) == 0)

        let results = try deliverWhileMoving(fixture, 60)
        #expect(results.count == 60 && results.allSatisfy { $0 == .alreadyPresent(id) }, "\(Set(results.map { "\($0)" }))")
        #expect(try fixture.names(in: .tmp).isEmpty)
        #expect(try fixture.spool.records(of: id).read("sha256").map { String(decoding: $0, as: UTF8.self) } == Spool.contentHash(content) + "\n")
    }

    @Test func aDeliveryThatDiedAfterItsRenameIsRecognisedWhileTheTaskMoves() throws {
        // A submit killed after renaming into new/ and before writing sha256: its record holds the
        // hard link it made first. The task has since moved on and keeps moving.
        let fixture = try TemporarySpool()
        let records = try fixture.spool.records(of: id)
        let task = fixture.spool.path(.attesting, id.rawValue)
        #expect(FileManager.default.createFile(atPath: task, contents: Data(content)))
        #expect(linkat(AT_FDCWD, task, records.descriptor, "delivering-1.P1Q1.dead", 0) == 0)

        #expect(try deliverWhileMoving(fixture, 20).allSatisfy { $0 == .alreadyPresent(id) })
        #expect(try records.names(in: ".").sorted() == ["sha256"])
    }

    @Test func aDeliveryThatDiedBeforeItsRenameIsDeliveredOnce() throws {
        // Killed between making its record and renaming the task in: nothing was acknowledged.
        let fixture = try TemporarySpool()
        let records = try fixture.spool.records(of: id)
        let temporary = fixture.spool.path(.tmp, "1.P1Q1.dead")
        #expect(FileManager.default.createFile(atPath: temporary, contents: Data(content)))
        #expect(linkat(AT_FDCWD, temporary, records.descriptor, "delivering-1.P1Q1.dead", 0) == 0)

        let (results, errors) = deliverConcurrently(fixture, 10)
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        #expect(results.filter { $0 == .delivered(id) }.count == 1)
        #expect(results.filter { $0 == .alreadyPresent(id) }.count == 9)
        #expect(try copies(fixture) == ["new/\(id)"])
        #expect(try records.names(in: ".").sorted() == ["history", "sha256"])
    }

    @Test func identicalConcurrentBatchesAllSucceed() throws {
        // Eight submitters of the same files (with labels), released at the same instant, round after round:
        // every one gets every id, and each task is in new/ once.
        let fixture = try TemporarySpool()
        for round in 0..<10 {
            let labels = try TaskLabels(["project": "debian", "distribution": "debian"])
            let batch = (0..<100).map { Submission(proposedID: TaskID("same\(round)x\($0)_1_all.buildinfo")!, content: Array("task \(round) \($0)".utf8), labels: labels) }
            let outcomes = Outcomes<[DeliveryResult]>()
            let start = DispatchSemaphore(value: 0)
            let group = DispatchGroup()
            for _ in 0..<8 {
                group.enter()
                Thread { [spool = fixture.spool] in
                    start.wait()
                    do {
                        outcomes.add([try spool.deliver(batch, durable: false)])
                    } catch {
                        outcomes.fail(error)
                    }
                    group.leave()
                }.start()
            }
            for _ in 0..<8 { start.signal() }
            #expect(group.wait(timeout: .now() + 60) == .success, "round \(round): a submitter never ended")
            let runs = outcomes.values
            #expect(outcomes.errors.isEmpty, "round \(round): \(outcomes.errors.prefix(3))")
            #expect(runs.count == 8 && runs.allSatisfy { $0.map(\.id) == batch.map(\.proposedID) }, "round \(round)")
            for index in batch.indices {
                #expect(runs.map { $0[index] }.filter { if case .delivered = $0 { true } else { false } }.count == 1)
            }
        }
        #expect(try fixture.names(in: .new).count == 1000)
        #expect(try fixture.names(in: .tmp).isEmpty)
    }

    @Test func anIdenticalDeliveryWaitsForOneInProgressAndIsANoOp() throws {
        // Another submitter holds the identity (its record's flock) between claiming it and
        // renaming its task into new/: an identical delivery must neither deliver a second copy
        // nor make the first one's rename fail.
        let fixture = try TemporarySpool()
        let spool = fixture.spool
        let temporary = "1.P1Q1.other"
        #expect(FileManager.default.createFile(atPath: spool.path(.tmp, temporary), contents: Data(content)))
        #expect(mkdir(spool.recordPath(id), 0o755) == 0)
        let record = open(spool.recordPath(id), O_RDONLY | O_DIRECTORY)
        defer { close(record) }
        #expect(flock(record, LOCK_EX) == 0)
        #expect(link(spool.path(.tmp, temporary), spool.recordPath(id, "delivering-\(temporary)")) == 0)

        let outcomes = Outcomes<DeliveryResult>()
        let done = DispatchSemaphore(value: 0)
        // A thread of its own: the shared pool may be busy with other tests.
        Thread { [content, id] in
            do { outcomes.add(try spool.deliver([Submission(proposedID: id, content: content)])) } catch { outcomes.fail(error) }
            done.signal()
        }.start()
        let waited = done.wait(timeout: .now() + 0.3) == .timedOut
        #expect(waited, "the identical delivery did not wait: \(outcomes.values) \(outcomes.errors)")
        // The other submitter finishes: rename, sha256, link removed, lock released.
        #expect(rename(spool.path(.tmp, temporary), spool.path(.new, id.rawValue)) == 0)
        #expect(FileManager.default.createFile(atPath: spool.recordPath(id, "sha256"), contents: Data((Spool.contentHash(content) + "\n").utf8)))
        #expect(unlink(spool.recordPath(id, "delivering-\(temporary)")) == 0)
        #expect(flock(record, LOCK_UN) == 0)
        if waited { #expect(done.wait(timeout: .now() + 30) == .success, "the identical delivery never ended") }

        #expect(outcomes.errors.isEmpty, "\(outcomes.errors)")
        #expect(outcomes.values == [.alreadyPresent(id)])
        #expect(try copies(fixture) == ["new/\(id)"])
        #expect(try fixture.names(in: .tmp).isEmpty)
    }

    @Test func aPreparedRecordLeftInTmpIsSweptAfterAnHour() throws {
        let fixture = try TemporarySpool()
        let prepared = fixture.spool.path(.tmp, "1.P1Q1.dead.records")
        try FileManager.default.createDirectory(atPath: prepared + "/inner", withIntermediateDirectories: true)
        #expect(try fixture.spool.removeAbandonedTemporaries(now: Timestamp.now() + 7200) == 1)
        #expect(try fixture.names(in: .tmp).isEmpty)
    }
}

/// Set once by one thread, read by another.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// What concurrent calls returned and threw.
final class Outcomes<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [Value] = []
    private var failures: [String] = []
    func add(_ values: [Value]) { lock.withLock { collected += values } }
    func fail(_ error: Error) { lock.withLock { failures.append("\(error)") } }
    var values: [Value] { lock.withLock { collected } }
    var errors: [String] { lock.withLock { failures } }
}
