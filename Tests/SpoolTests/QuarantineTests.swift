import Foundation
import Glibc
import Testing
@testable import Spool

@Suite struct QuarantineTests {
    /// Claims `name` (raw bytes) from new/ and returns the quarantine reason recorded for it.
    private func quarantineReason(_ fixture: TemporarySpool, _ name: [UInt8]) throws -> String? {
        guard case .quarantined(let generated, _) = try fixture.spool.claim(
            name, route: build, limits: ClaimLimits(maxTaskBytes: 1 << 20, settleSeconds: 0), syncer: nil) else { return nil }
        #expect(try fixture.names(in: .failed).contains(generated))
        return try fixture.spool.reason(of: TaskID(generated)!)
    }

    @Test func nonTasksAreMovedToFailedWithAReasonNamingThem() throws {
        let fixture = try TemporarySpool()
        let outside = fixture.base + "/outside-secret"
        try "secret".write(toFile: outside, atomically: false, encoding: .utf8)
        let new = fixture.spool.path(.new)
        #expect(symlink(outside, new + "/link_1_all.buildinfo") == 0)
        #expect(mkfifo(new + "/fifo_1_all.buildinfo", 0o644) == 0)
        #expect(mkdir(new + "/dir_1_all.buildinfo", 0o755) == 0)
        #expect(FileManager.default.createFile(atPath: new + "/empty_1_all.buildinfo", contents: Data()))
        #expect(FileManager.default.createFile(atPath: new + "/big_1_all.buildinfo", contents: nil))
        #expect(truncate(new + "/big_1_all.buildinfo", 2 << 20) == 0)

        #expect(try quarantineReason(fixture, Array("link_1_all.buildinfo".utf8)) == "'link_1_all.buildinfo' in new/: is a symbolic link\n")
        #expect(try quarantineReason(fixture, Array("fifo_1_all.buildinfo".utf8)) == "'fifo_1_all.buildinfo' in new/: is a fifo, not a regular file\n")
        #expect(try quarantineReason(fixture, Array("dir_1_all.buildinfo".utf8)) == "'dir_1_all.buildinfo' in new/: is a directory, not a regular file\n")
        #expect(try quarantineReason(fixture, Array("empty_1_all.buildinfo".utf8)) == "'empty_1_all.buildinfo' in new/: is empty\n")
        #expect(try quarantineReason(fixture, Array("big_1_all.buildinfo".utf8)) == "'big_1_all.buildinfo' in new/: is 2097152 bytes, over the limit of 1048576\n")
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "secret")
        #expect(try fixture.names(in: .new).isEmpty)
    }

    @Test func hostileNamesAreQuarantinedUnderSafeNames() throws {
        let fixture = try TemporarySpool()
        let names: [[UInt8]] = [Array("-rf.buildinfo".utf8), Array("a..b.buildinfo".utf8), Array("new\nline".utf8), [0x78, 0xFF, 0x79]]
        for name in names {
            let path = fixture.spool.rawPath(.new, name)
            let fd = path.withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) }
            #expect(fd >= 0)
            _ = write(fd, "x", 1)
            close(fd)
        }
        #expect(try quarantineReason(fixture, names[0]) == "'-rf.buildinfo' in new/: name starts with '-'\n")
        #expect(try quarantineReason(fixture, names[1]) == "'a..b.buildinfo' in new/: name contains '..'\n")
        #expect(try quarantineReason(fixture, names[2]) == "'new\\nline' in new/: name contains a newline\n")
        #expect(try quarantineReason(fixture, names[3]) == "'x\\xffy' in new/: name is not valid UTF-8\n")
        #expect(try fixture.names(in: .new).isEmpty)
        #expect(try fixture.names(in: .failed).allSatisfy { $0.hasPrefix("quarantine-") })
    }

    @Test func quarantinedEntriesAreNotRetried() throws {
        let fixture = try TemporarySpool()
        #expect(FileManager.default.createFile(atPath: fixture.spool.path(.new, "empty_1_all.buildinfo"), contents: Data()))
        _ = try quarantineReason(fixture, Array("empty_1_all.buildinfo".utf8))
        let id = try fixture.deliver("real_1_all.buildinfo")
        try fixture.claimed(id.rawValue, build).fail(reason: "broken")
        let report = try fixture.spool.requeue(from: .failed, matching: { _ in true })
        #expect(report.requeued == [id])
        #expect(report.skipped.count == 1)
        #expect(try fixture.names(in: .new) == ["real_1_all.buildinfo"])
    }
}
