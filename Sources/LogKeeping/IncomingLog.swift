import FileSystem
import Foundation
import Spool

/// One log being received, in the keeper's `incoming/`: `<id>.log` (stamped lines, appended as
/// they come) and `<id>.meta` (the header and the sender, written first). The meta file stays
/// until the log is committed, so a keeper that stopped half-way finds and finishes it.
struct IncomingLog {
    /// `20261205T084012.123456Z`, unique in `incoming/` (a suffix is added on a clash): the
    /// log's file name in the repository too.
    let id: String
    let header: LogStreamHeader
    let sender: String

    /// Where the log goes in the repository's work tree: `<project>/<task>/<id>.log`.
    var destination: String { "\(header.project)/\(header.task.rawValue)/\(id).log" }

    static func logName(_ id: String) -> String { "\(id).log" }
    static func metaName(_ id: String) -> String { "\(id).meta" }

    var metaText: String { String(decoding: header.payload, as: UTF8.self) + "sender=\(sender)\n" }

    /// A new log: the file is created exclusively and its descriptor returned.
    static func create(in incoming: String, header: LogStreamHeader, sender: String, at time: Double) throws(LogStreamError) -> (IncomingLog, Int32) {
        let stamp = Timestamp.format(time).filter { $0 != "-" && $0 != ":" }
        for suffix in 0..<1000 {
            let id = suffix == 0 ? stamp : "\(stamp)-\(suffix)"
            let descriptor = open("\(incoming)/\(logName(id))", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
            if descriptor < 0 {
                if errno == EEXIST { continue }
                throw LogStreamError("cannot create \(incoming)/\(logName(id)): \(String(cString: strerror(errno)))")
            }
            let log = IncomingLog(id: id, header: header, sender: sender)
            do {
                try AtomicFile.write(Array(log.metaText.utf8), to: "\(incoming)/\(metaName(id))", durability: .file)
            } catch {
                close(descriptor)
                unlink("\(incoming)/\(logName(id))")
                throw LogStreamError("cannot write \(incoming)/\(metaName(id)): \(error)")
            }
            return (log, descriptor)
        }
        throw LogStreamError("no free name for a log in \(incoming)")
    }

    /// A log an earlier run left, from its meta file.
    static func read(id: String, in incoming: String) throws(LogStreamError) -> IncomingLog {
        let path = "\(incoming)/\(metaName(id))"
        guard let bytes = FileManager.default.contents(atPath: path) else { throw LogStreamError("cannot read \(path)") }
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n")
        guard let last = lines.popLast(), last.hasPrefix("sender=") else { throw LogStreamError("\(path) names no sender") }
        let header = try LogStreamHeader(parsing: Array(lines.map { "\($0)\n" }.joined().utf8))
        return IncomingLog(id: id, header: header, sender: String(last.dropFirst("sender=".count)))
    }
}
