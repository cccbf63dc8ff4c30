import Foundation
import Glibc
import Testing
@testable import Spool

@Suite struct ClaimTests {
    @Test func claimByRenameMovesTheTaskLockedAndHandsItOn() throws {
        let fixture = try TemporarySpool()
        let id = try fixture.deliver("p_1_amd64.buildinfo")
        let task = try fixture.claimed(id.rawValue, build)
        #expect(try fixture.names(in: .new).isEmpty)
        #expect(try fixture.names(in: .building) == [".holder-p_1_amd64.buildinfo", "p_1_amd64.buildinfo"])
        #expect(isLocked(task.path))
        // A second claimer finds nothing to take.
        guard case .gone = try fixture.claim(id.rawValue, build) else { Issue.record("claimed twice"); return }

        try task.handOn()
        #expect(try fixture.names(in: .building).isEmpty)
        #expect(try fixture.names(in: .attesting) == ["p_1_amd64.buildinfo"])
        #expect(!isLocked(fixture.spool.path(.attesting, id.rawValue)))
        #expect(try fixture.spool.history(of: id).map(\.event) == ["submitted", "claimed", "handed"])
    }

    @Test func inPlaceClaimIsTheLockAndABusyTaskIsNotTaken() throws {
        let fixture = try TemporarySpool()
        let id = try fixture.deliver("q_1_amd64.buildinfo")
        try fixture.claimed(id.rawValue, build).handOn()
        let task = try fixture.claimed(id.rawValue, attest)
        #expect(try fixture.names(in: .attesting) == [".holder-q_1_amd64.buildinfo", "q_1_amd64.buildinfo"])
        guard case .busy = try fixture.claim(id.rawValue, attest) else { Issue.record("claimed a held task"); return }
        try task.handOn()
        #expect(try fixture.names(in: .attesting).isEmpty)
        #expect(try fixture.names(in: .reporting) == ["q_1_amd64.buildinfo"])
    }

    @Test func retryCarriesTheAttemptInTheNameAndTheDueTimeAsMtime() throws {
        let fixture = try TemporarySpool()
        let id = try fixture.deliver("r_1_amd64.buildinfo")
        let now = Timestamp.now()
        let outcome = try fixture.claimed(id.rawValue, build).retry(reason: "network down", now: now)
        #expect(outcome == .deferred(until: now + 60))
        #expect(try fixture.names(in: .new) == ["r_1_amd64.buildinfo:1"])
        let info = try SystemCalls.linkStatus(fixture.spool.path(.new, "r_1_amd64.buildinfo:1"))!
        #expect(abs(info.modificationSeconds - (now + 60)) < 0.01)
        // Times are passed explicitly: a test runner that stalls must not make the task due.
        guard case .notDue(let until) = try fixture.claim("r_1_amd64.buildinfo:1", build, now: now + 1) else {
            Issue.record("taken early"); return
        }
        #expect(abs(until - (now + 60)) < 0.01)
        #expect(try fixture.spool.reason(of: id) == "network down\n")

        // Due: the second attempt is taken and its retry doubles the delay.
        guard case .claimed(let again) = try fixture.claim("r_1_amd64.buildinfo:1", build, now: now + 61) else {
            Issue.record("due task not taken"); return
        }
        let second = try again.retry(reason: "again", now: now + 61)
        #expect(second == .deferred(until: now + 61 + 120))
        #expect(try fixture.names(in: .new) == ["r_1_amd64.buildinfo:2"])
    }

    @Test func aPostponedTaskGoesBackUncountedAndDueLater() throws {
        let fixture = try TemporarySpool()
        let id = try fixture.deliver("h_1_amd64.buildinfo")
        let now = Timestamp.now()
        for round in 1...3 {
            guard case .claimed(let task) = try fixture.claim("h_1_amd64.buildinfo", build, now: now + Double(round) * 100) else {
                Issue.record("round \(round): not claimed"); return
            }
            try task.postpone(reason: "source h is held", until: now + Double(round) * 100 + 30)
            // No attempt in the name however often it is postponed.
            #expect(try fixture.names(in: .new) == ["h_1_amd64.buildinfo"])
            guard case .notDue = try fixture.claim("h_1_amd64.buildinfo", build, now: now + Double(round) * 100 + 1) else {
                Issue.record("round \(round): taken before its time"); return
            }
        }
        #expect(try fixture.spool.reason(of: id) == "source h is held\n")
    }

    @Test func pastTheAttemptLimitTheTaskFailsWithItsReason() throws {
        let fixture = try TemporarySpool()
        _ = try fixture.deliver("s_1_amd64.buildinfo")
        let future = Timestamp.now() + 10_000
        var name = "s_1_amd64.buildinfo"
        for attempt in 1...3 {
            let task: ClaimedTask
            guard case .claimed(let claimed) = try fixture.claim(name, build, now: future * Double(attempt)) else {
                Issue.record("attempt \(attempt) not claimed"); return
            }
            task = claimed
            let outcome = try task.retry(reason: "flaky \(attempt)", now: future * Double(attempt))
            name = "s_1_amd64.buildinfo:\(attempt)"
            if attempt == 3 { #expect(outcome == .failed) }
        }
        #expect(try fixture.names(in: .failed) == ["s_1_amd64.buildinfo"])
        #expect(try fixture.names(in: .new).isEmpty)
        #expect(try fixture.spool.reason(of: TaskID("s_1_amd64.buildinfo")!) == "gave up after 3 attempts; the last: flaky 3\n")
    }

    @Test func aPermanentFailureGoesStraightToFailed() throws {
        let fixture = try TemporarySpool()
        let id = try fixture.deliver("t_1_amd64.buildinfo")
        try fixture.claimed(id.rawValue, build).fail(reason: "the command exited with status 2")
        #expect(try fixture.names(in: .failed) == ["t_1_amd64.buildinfo"])
        #expect(try fixture.names(in: .building).isEmpty)
        #expect(try fixture.spool.reason(of: id) == "the command exited with status 2\n")
    }

    @Test func aFileStillOpenForWritingIsNotTaken() throws {
        let fixture = try TemporarySpool()
        let path = fixture.spool.path(.new, "w_1_amd64.buildinfo")
        let writer = open(path, O_WRONLY | O_CREAT, 0o644)
        #expect(writer >= 0)
        _ = "Source: w\n".withCString { write(writer, $0, 10) }
        guard case .incomplete = try fixture.claim("w_1_amd64.buildinfo", build) else {
            Issue.record("took a file still being written"); close(writer); return
        }
        #expect(try fixture.names(in: .new) == ["w_1_amd64.buildinfo"])
        close(writer)
        guard case .claimed = try fixture.claim("w_1_amd64.buildinfo", build) else { Issue.record("complete file not taken"); return }
    }
}
