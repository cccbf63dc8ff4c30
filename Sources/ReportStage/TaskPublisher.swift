import Foundation
import Publishing
import Rebuild
import Spool

/// Copies what a task's build left in `records/<ID>/` into the project's tree, under names made
/// from the task's: `logs/<stem>.log`, `buildinfos/<stem>.buildinfo` (the rebuilt one),
/// `diffoscope/<stem>/<report>`; `<stem>` is the task id without `.buildinfo`.
struct TaskPublisher {
    var records: TaskRecords
    var tree: PublishedTree

    /// Everything is read beneath the records without following links: a link planted there (a
    /// build runs as the spool's user) must not publish a file from elsewhere on the host.
    func publish(record: RebuildRecord?) throws -> ReportRecord {
        let stem = Self.stem(of: records.id)
        var report = ReportRecord(log: nil, buildinfo: nil, diffoscope: [])
        if let log = try records.read(BuildRecords.log, limit: Self.publishedSizeLimit) {
            let published = "\(PublishedTree.logs)/\(stem).log"
            try AtomicFiles.write(log, to: tree.absolute(published))
            report.log = published
        }
        if let rebuilt = try records.names(in: BuildRecords.output).sorted().first(where: { $0.hasSuffix(".buildinfo") }),
           let bytes = try records.read("\(BuildRecords.output)/\(rebuilt)", limit: Self.publishedSizeLimit) {
            let published = "\(PublishedTree.buildinfos)/\(stem).buildinfo"
            try AtomicFiles.write(bytes, to: tree.absolute(published))
            report.buildinfo = published
        }
        for file in Set(record.map { Array($0.diffoscope.values) } ?? []).sorted() {
            let name = (file as NSString).lastPathComponent
            guard PlainName.isSafe(name), let bytes = try records.read("\(BuildRecords.directory)/\(file)", limit: Self.publishedSizeLimit) else { continue }
            let published = "\(PublishedTree.diffoscope)/\(stem)/\(name)"
            try AtomicFiles.write(bytes, to: tree.absolute(published))
            report.diffoscope.append(published)
        }
        return report
    }

    static let publishedSizeLimit = 1 << 30

    /// The task id without `.buildinfo`: `hello_1.0-1_amd64`.
    static func stem(of id: TaskID) -> String {
        id.rawValue.hasSuffix(".buildinfo") ? String(id.rawValue.dropLast(".buildinfo".count)) : id.rawValue
    }

    /// The rebuilt files and build tree are large and now either published or judged: they go
    /// (links in them are removed as links).
    func cleanWorkDirectory() throws {
        for directory in [BuildRecords.output, BuildRecords.tree] { try records.remove(directory) }
    }
}
