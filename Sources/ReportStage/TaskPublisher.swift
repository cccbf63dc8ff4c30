import Foundation
import Publishing
import Rebuild
import Spool

/// Copies what a task's build left in `records/<ID>/` into the project's tree, under names made
/// from the task's: `logs/<stem>.log`, `buildinfos/<stem>.buildinfo` (the rebuilt one),
/// `diffoscope/<stem>/<report>`; `<stem>` is the task id without `.buildinfo`.
struct TaskPublisher {
    var spool: Spool
    var tree: PublishedTree

    func publish(_ id: TaskID, record: RebuildRecord?) throws -> ReportRecord {
        let stem = Self.stem(of: id)
        var report = ReportRecord(log: nil, buildinfo: nil, diffoscope: [])
        let log = spool.recordPath(id, "build.log")
        if FileManager.default.fileExists(atPath: log) {
            report.log = "\(PublishedTree.logs)/\(stem).log"
            try AtomicFiles.copy(log, to: tree.absolute(report.log!))
        }
        let output = spool.recordPath(id, "build/output")
        if let rebuilt = (try? FileManager.default.contentsOfDirectory(atPath: output))?.sorted().first(where: { $0.hasSuffix(".buildinfo") }) {
            report.buildinfo = "\(PublishedTree.buildinfos)/\(stem).buildinfo"
            try AtomicFiles.copy("\(output)/\(rebuilt)", to: tree.absolute(report.buildinfo!))
        }
        for file in Set(record.map { Array($0.diffoscope.values) } ?? []).sorted() {
            let name = (file as NSString).lastPathComponent
            guard PublishedName.isSafe(name) else { continue }
            let published = "\(PublishedTree.diffoscope)/\(stem)/\(name)"
            try AtomicFiles.copy(spool.recordPath(id, "build/\(file)"), to: tree.absolute(published))
            report.diffoscope.append(published)
        }
        return report
    }

    /// The task id without `.buildinfo`: `hello_1.0-1_amd64`.
    static func stem(of id: TaskID) -> String {
        id.rawValue.hasSuffix(".buildinfo") ? String(id.rawValue.dropLast(".buildinfo".count)) : id.rawValue
    }

    /// The rebuilt files and build tree are large and now either published or judged: they go.
    func cleanWorkDirectory(_ id: TaskID) throws {
        for directory in ["build/output", "build/tree"] {
            let path = spool.recordPath(id, directory)
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        }
    }
}
