import Foundation
import Glibc
import Spool
import Testing

/// The whole machine with real daemons: these spawn many processes, so they run one at a time.
@Suite(.serialized) struct PipelineTests {
    @Test func tenThousandTasksReachUploadedOnceWithEveryStageRunOnEach() throws {
        let fixture = try PipelineFixture()
        let ids = try fixture.submitTasks(10_000)
        try fixture.startStage("build", ["--concurrency", "2"])
        for stage in ["attest", "report", "upload"] { try fixture.startStage(stage) }
        let done = fixture.waitUntil(seconds: 600) { fixture.entries(.uploaded).count == ids.count }
        #expect(done, "\(fixture.entries(.uploaded).count) of \(ids.count) uploaded\n\(fixture.daemonLogs().suffix(3000))")
        fixture.stopAll()

        #expect(Set(fixture.entries(.uploaded)) == Set(ids))
        for directory in SpoolDirectory.allCases where directory != .uploaded {
            #expect(fixture.entries(directory).isEmpty, "\(directory) not empty")
        }
        var runs: [String: Int] = [:]
        for line in fixture.ledgerLines() { runs[line, default: 0] += 1 }
        for stage in ["build", "attest", "report", "upload"] {
            let ran = ids.filter { runs["\(stage) \($0)"] == 1 }.count
            #expect(ran == ids.count, "\(stage) ran once for \(ran) of \(ids.count) tasks")
        }
        #expect(runs.count == ids.count * 4)
    }
}
