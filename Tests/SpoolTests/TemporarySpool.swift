import Foundation
import Glibc
@testable import Spool

/// A fresh spool in a temporary directory, removed when the test is done with it.
final class TemporarySpool {
    let spool: Spool
    let base: String

    init(policy: RetryPolicy = RetryPolicy(maxAttempts: 3, backoffSeconds: 60, maxBackoffSeconds: 600)) throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("spool-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        spool = Spool(root: base + "/spool", policy: policy)
        try spool.create()
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }

    func deliver(_ name: String, _ text: String = "Source: hello\nVersion: 1.0-1\n") throws -> TaskID {
        try spool.deliver([Submission(proposedID: TaskID(name)!, content: Array(text.utf8))])[0].id
    }

    func names(in directory: SpoolDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: spool.path(directory)).sorted()
    }

    func claim(_ name: String, _ route: StageRoute, now: Double = Timestamp.now()) throws -> ClaimOutcome {
        try spool.claim(Array(name.utf8), route: route, limits: ClaimLimits(maxTaskBytes: 1 << 20, settleSeconds: 2),
                        syncer: nil, now: now)
    }

    func claimed(_ name: String, _ route: StageRoute) throws -> ClaimedTask {
        guard case .claimed(let task) = try claim(name, route) else {
            throw SpoolError("test claim", path: name, reason: "not claimed")
        }
        return task
    }
}

let build = Stage.build.route!
let attest = Stage.attest.route!

/// Whether another open file description could lock `path` now.
func isLocked(_ path: String) -> Bool {
    let fd = open(path, O_RDONLY)
    defer { close(fd) }
    return flock(fd, LOCK_EX | LOCK_NB) != 0
}
