import Foundation
import Glibc
import Logging
import Notifications
import Publishing
import Rebuild
import Spool
import Synchronization

/// A spool in a temporary directory with tasks put straight into `uploaded/` or `failed/`, their
/// records written as the stages write them.
final class FinishedSpool {
    let base: String
    let spool: Spool

    init() throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("notify-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        spool = Spool(root: base + "/spool")
        try spool.create()
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }

    /// A task whose build judged `artifacts`, attested, reported and uploaded; its build log has `logLines` lines.
    @discardableResult
    func uploaded(_ name: String, artifacts: [ArtifactResult], logLines: [String]) throws -> TaskRecords {
        let records = try spool.records(of: TaskID(name)!)
        try records.replace("labels", with: "distribution=debian\nproject=debian\ndist=bookworm+examples.amd64\n")
        try records.makeDirectory(BuildRecords.directory)
        let record = RebuildRecord(task: name, source: "hello", version: "1.0", verdict: ArtifactComparison.verdict(of: artifacts),
                                   backend: "local", attempt: 1, started: Timestamp.format(Timestamp.now()), durationSeconds: 1,
                                   backendExit: "exit 0", logTruncated: false, artifacts: artifacts)
        try records.replace(BuildRecords.result, with: Array(record.json()))
        try records.replace(BuildRecords.log, with: logLines.map { $0 + "\n" }.joined())
        try records.writeAttestation(AttestationRecord(project: "debian", links: [
            .init(side: "reproducible", keyid: "0123456789abcdef", version: "1.0", architectureLink: "sources/hello/1.0/rebuild.01234567.amd64.link",
                  mergedLink: "sources/hello/1.0/rebuild.01234567.link", products: [:]),
        ], notAttested: []))
        try records.writePublishedReport(ReportRecord(log: "logs/hello_1.0_amd64.log", buildinfo: "buildinfos/hello_1.0_amd64.buildinfo",
                                                      diffoscope: ["diffoscope/hello_1.0_amd64/hello_1.0_amd64.deb.txt"]))
        try put(name, in: .uploaded)
        return records
    }

    /// A task that failed at the build stage with `reason`, with a short build log.
    @discardableResult
    func failed(_ name: String, reason: String) throws -> TaskRecords {
        let records = try spool.records(of: TaskID(name)!)
        try records.replace(BuildRecords.log, with: "=== build\nparse error\n")
        try records.replace("reason", with: reason + "\n")
        try put(name, in: .failed)
        return records
    }

    /// The task file, renamed in as a stage hands a task on.
    func put(_ name: String, in directory: SpoolDirectory) throws {
        let temporary = base + "/" + name
        try "Source: hello\n".write(toFile: temporary, atomically: false, encoding: .utf8)
        guard rename(temporary, spool.path(directory, name)) == 0 else { throw SpoolError("rename", path: temporary, errno: errno) }
    }

    /// Requeued and finished again: out of its directory and back, a new rename.
    func finishAgain(_ name: String, in directory: SpoolDirectory) throws {
        Thread.sleep(forTimeInterval: 0.01)
        guard rename(spool.path(directory, name), spool.path(.new, name)) == 0,
              rename(spool.path(.new, name), spool.path(directory, name)) == 0 else { throw SpoolError("rename", path: name, errno: errno) }
    }
}

/// Log lines kept in memory, to check what the notifier says.
final class CollectedLog: Sendable {
    let lines = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "notify-test") { _ in Handler(log: self) }
    }

    func contains(_ parts: String...) -> Bool {
        lines.withLock { $0.contains { line in parts.allSatisfy { line.contains($0) } } }
    }

    struct Handler: LogHandler {
        let log: CollectedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            log.lines.withLock { $0.append("\(event.level) \(event.message)") }
        }
    }
}

/// A port on 127.0.0.1 that nothing listens on: bound, then closed.
func closedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Bool in
            bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
        }
    }
    guard bound else { throw SpoolError("bind", path: "127.0.0.1", errno: errno) }
    return Int(UInt16(bigEndian: address.sin_port))
}
