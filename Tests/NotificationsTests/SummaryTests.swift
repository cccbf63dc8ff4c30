import Foundation
import Glibc
@testable import Notifications
import Rebuild
import Spool
import Testing

/// The JSON summary a receiver gets, made from the records the stages write.
@Suite struct SummaryTests {
    static let artifacts = [
        ArtifactResult(name: "hello_1.0_amd64.deb", expectedSHA256: "aa", expectedSize: 3, rebuiltSHA256: "aa", rebuiltSize: 3),
        ArtifactResult(name: "hello-doc_1.0_all.deb", expectedSHA256: "bb", expectedSize: 3, rebuiltSHA256: "cc", rebuiltSize: 3),
        ArtifactResult(name: "hello-dbgsym_1.0_amd64.deb", expectedSHA256: "dd", expectedSize: 3, rebuiltSHA256: nil, rebuiltSize: nil),
    ]

    @Test func anUploadedTaskHasItsVerdictPerArtifactLinksAndTheLast30LogLines() throws {
        let spool = try FinishedSpool()
        let name = "hello_1.0_amd64.buildinfo"
        let lines = (1...40).map { "line \($0)" } + ["colour \u{1B}[31mred\u{1B}[0m\tand a tab"]
        let records = try spool.uploaded(name, artifacts: Self.artifacts, logLines: lines)
        let finish = try #require(Finish.of(name, in: .uploaded, spool: spool.spool))
        let summary = NotificationSummary(records: records, finish: finish, linksBase: "https://rebuilder.example/")

        #expect(summary.id == "\(name)@\(finish.key)")
        #expect(finish.key.hasPrefix("uploaded-"))
        #expect(summary.task == name)
        #expect((summary.project, summary.distribution, summary.dist) == ("debian", "debian", "bookworm+examples.amd64"))
        #expect(summary.state == "uploaded")
        #expect(summary.verdict == "unreproducible")
        #expect(summary.reason == nil)
        #expect((summary.source, summary.version) == ("hello", "1.0"))
        #expect(summary.artifacts.map(\.verdict) == [.reproducible, .unreproducible, .missing])
        #expect(summary.artifacts[1].rebuiltSHA256 == "cc")
        #expect(summary.links == NotificationSummary.Links(
            log: "https://rebuilder.example/debian/logs/hello_1.0_amd64.log",
            buildinfo: "https://rebuilder.example/debian/buildinfos/hello_1.0_amd64.buildinfo",
            diffoscope: ["https://rebuilder.example/debian/diffoscope/hello_1.0_amd64/hello_1.0_amd64.deb.txt"],
            metadata: ["https://rebuilder.example/debian/sources/hello/1.0/rebuild.01234567.link"]))
        #expect(summary.logTail.count == 30)
        #expect(summary.logTail.first == "line 12")
        // The build's bytes are shown, not obeyed: no escape sequence reaches a receiver's terminal.
        #expect(summary.logTail.last == "colour \\u{1b}[31mred\\u{1b}[0m\\tand a tab")
        #expect(Timestamp.parse(summary.finished).map { abs($0 - finish.time) < 0.001 } == true)
    }

    @Test func theJSONHasTheDocumentedFieldsAndReadsBackTheSame() throws {
        let spool = try FinishedSpool()
        let records = try spool.uploaded("hello_1.0_amd64.buildinfo", artifacts: Self.artifacts, logLines: ["one", "two"])
        let finish = try #require(Finish.of("hello_1.0_amd64.buildinfo", in: .uploaded, spool: spool.spool))
        let summary = NotificationSummary(records: records, finish: finish, linksBase: nil)
        let bytes = try summary.json()
        #expect(try JSONDecoder().decode(NotificationSummary.self, from: Data(bytes)) == summary)
        #expect(try summary.json() == bytes)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(Set(object.keys) == ["id", "task", "project", "distribution", "dist", "state", "finished", "source", "version",
                                     "verdict", "artifacts", "links", "logTail"])
        // Without links-base, paths in the published tree.
        #expect(summary.links.log == "debian/logs/hello_1.0_amd64.log")
        #expect(summary.logTail == ["one", "two"])
    }

    @Test func aFailedTaskHasItsReasonAndNoPublishedLinks() throws {
        let spool = try FinishedSpool()
        let records = try spool.failed("broken_1.0_amd64.buildinfo", reason: "malformed buildinfo: line 3: no Source field")
        let finish = try #require(Finish.of("broken_1.0_amd64.buildinfo", in: .failed, spool: spool.spool))
        let summary = NotificationSummary(records: records, finish: finish, linksBase: "https://rebuilder.example")
        #expect(summary.state == "failed")
        #expect(summary.reason == "malformed buildinfo: line 3: no Source field")
        #expect(summary.verdict == nil)
        #expect(summary.artifacts.isEmpty)
        #expect(summary.links == NotificationSummary.Links())
        #expect(summary.project == "debian")
        #expect(summary.logTail == ["=== build", "parse error"])
    }

    @Test func anUnreadableRecordIsLeftOutAndNamed() throws {
        let spool = try FinishedSpool()
        let records = try spool.uploaded("hello_1.0_amd64.buildinfo", artifacts: Self.artifacts, logLines: ["built"])
        // A link planted where the log is (a build runs as the spool's user) is not followed.
        try records.remove(BuildRecords.log)
        #expect(symlink("/etc/passwd", records.path(BuildRecords.log)) == 0)
        try records.replace(BuildRecords.result, with: "not JSON")
        let finish = try #require(Finish.of("hello_1.0_amd64.buildinfo", in: .uploaded, spool: spool.spool))
        let summary = NotificationSummary(records: records, finish: finish, linksBase: nil)
        #expect(summary.logTail.isEmpty)
        #expect(summary.verdict == nil && summary.artifacts.isEmpty)
        #expect(summary.links.log == "debian/logs/hello_1.0_amd64.log")
        let unreadable = try #require(summary.unreadable)
        #expect(unreadable.count == 2)
        #expect(unreadable.contains { $0.contains(records.path(BuildRecords.log)) }, "\(unreadable)")
    }

    @Test func aLongLogGivesItsLastWholeLines() {
        let line = String(repeating: "x", count: 99)
        let bytes = Array(String(repeating: line + "\n", count: 1000).utf8.suffix(LogTail.bytesRead))
        let tail = LogTail.lines(of: bytes)
        #expect(tail.count == LogTail.lineCount)
        #expect(tail.allSatisfy { $0 == line })
        // Cut just after a newline: the line after it is whole and kept.
        let lines = (1...10).map { "line \($0)" }
        let exact = Array(repeating: UInt8(ascii: "x"), count: LogTail.bytesKept - lines.joined(separator: "\n").utf8.count - 2)
        let end = [0x0A] + exact + Array(("\n" + lines.joined(separator: "\n") + "\n").utf8)
        #expect(end.count == LogTail.bytesRead)
        #expect(LogTail.lines(of: end, count: 11) == [String(repeating: "x", count: LogTail.lineLimit) + "…"] + lines)
        #expect(LogTail.lines(of: nil) == [])
        #expect(LogTail.lines(of: Array((String(repeating: "y", count: 5000) + "\n").utf8)) == [String(repeating: "y", count: LogTail.lineLimit) + "…"])
    }
}
