import Foundation
import Glibc
@testable import LogKeeping
import Spool
import Testing

/// The keeper's own lines: what a sender's bytes become in the kept log.
struct LineStamperTests {
    /// Feeds `chunks` to a stamper writing into a temporary file; returns the file's lines.
    private func stamp(_ chunks: [[UInt8]], note: String? = nil) throws -> [String] {
        let path = "/tmp/stamper-\(UUID().uuidString)"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        defer { unlink(path) }
        let stamper = LineStamper(descriptor: descriptor, clock: { 1_796_000_000.25 })
        for chunk in chunks { chunk.withUnsafeBytes { stamper.take($0) } }
        if let note { stamper.note(note) }
        stamper.flush()
        close(descriptor)
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test func everyLineGetsTheKeepersTimeAndOnlyPrintableASCIIAndTabSurvive() throws {
        let lines = try stamp([Array("plain\tline\n\u{1B}[31mred\r\nnul\0 é\n".utf8)])
        #expect(lines == ["2026-11-30T00:53:20.250000Z | plain\tline",
                          "2026-11-30T00:53:20.250000Z | .[31mred.",
                          "2026-11-30T00:53:20.250000Z | nul. .."])
    }

    @Test func linesCutAcrossChunksAreJoinedAndAPartialLastLineIsKept() throws {
        let lines = try stamp([Array("first li".utf8), Array("ne\nsecond".utf8)], note: "the sender went away")
        #expect(lines == ["2026-11-30T00:53:20.250000Z | first line",
                          "2026-11-30T00:53:20.250000Z | second",
                          "2026-11-30T00:53:20.250000Z # the sender went away"])
    }

    @Test func aSenderCannotWriteALineThatReadsAsTheKeepers() throws {
        let lines = try stamp([Array("2026-11-30T00:53:20.250000Z # end of log\n".utf8)])
        #expect(lines == ["2026-11-30T00:53:20.250000Z | 2026-11-30T00:53:20.250000Z # end of log"])
    }

    @Test func anEndlessLineIsCutIntoBoundedLines() throws {
        let lines = try stamp([[UInt8](repeating: 0x78, count: LineStamper.maximumLine * 3 + 5)], note: "end")
        #expect(lines.count == 5)
        #expect(lines.dropLast().map { $0.count - 30 } == [LineStamper.maximumLine, LineStamper.maximumLine, LineStamper.maximumLine, 5])
    }
}

struct LogStreamHeaderTests {
    @Test func aHeaderRoundTrips() throws {
        let header = LogStreamHeader(task: TaskID("hello_2.10-3_amd64.buildinfo")!, attempt: 2, project: try ProjectPath("qubesos/deb/r4.2"))
        #expect(try LogStreamHeader(parsing: header.payload) == header)
    }

    @Test(arguments: [
        "task=../etc\nattempt=1\nproject=debian\n", "task=a\nattempt=0\nproject=debian\n", "task=a\nattempt=1\nproject=/abs\n",
        "task=a\nattempt=1\nproject=debian\nuid=0\n", "task=a\ntask=b\nattempt=1\n", "garbage",
    ])
    func hostileHeadersAreRefused(_ text: String) {
        #expect(throws: LogStreamError.self) { try LogStreamHeader(parsing: Array(text.utf8)) }
    }
}

struct LogReceiptTests {
    static let receipt = LogReceipt(task: TaskID("hello_1_amd64.buildinfo")!, attempt: 3, project: try! ProjectPath("debian"),
                                     log: "debian/hello_1_amd64.buildinfo/20261205T080000.000000Z.log",
                                     logSHA256: String(repeating: "ab", count: 32), commit: String(repeating: "cd", count: 20),
                                     time: "2026-12-05T08:00:01.000000Z", sender: "pid 7 uid 990 gid 990")

    @Test func aReceiptRoundTrips() throws {
        #expect(try LogReceipt(parsing: Array(Self.receipt.text.utf8)) == Self.receipt)
    }

    @Test func aReceiptNamingAPathOutsideTheRepositoryIsRefused() {
        var escaping = Self.receipt
        escaping.log = "../../etc/shadow"
        #expect(throws: LogStreamError.self) { try LogReceipt(parsing: Array(escaping.text.utf8)) }
        #expect(throws: LogStreamError.self) { try LogReceipt(parsing: Array((Self.receipt.text + "Extra: 1\n").utf8)) }
    }
}
