import FileSystem
import Foundation

/// Publishes one project's results: the JSON exports and the page into the project tree's
/// `results/`, the Prometheus textfile into node_exporter's directory. Every file is
/// replaced atomically, so a reader never sees a half-written one.
public struct ResultsWriter: Sendable {
    /// See `ResultsPage.taskLimit`.
    public var taskLimit: Int

    public init(taskLimit: Int = 5000) {
        self.taskLimit = taskLimit
    }

    /// Writes `results/<distribution>.json` for each distribution, then `results/index.html`
    /// (last, so its links point to exports that exist). Creates `results/` if needed.
    /// - Returns: the paths written, in that order.
    @discardableResult
    public func writePages(_ results: ProjectResults, projectDirectory: String) throws(ResultsError) -> [String] {
        let directory = projectDirectory + "/results"
        try Self.makeDirectory(directory)
        var written: [String] = []
        for distribution in results.distributions {
            let path = "\(directory)/\(try ResultsFileName.export(for: distribution.group))"
            let export = DistributionExport(distribution, project: results.project, generated: results.generated)
            let bytes: [UInt8]
            do {
                bytes = try export.encoded()
            } catch {
                throw .encoding(path: path, reason: "\(error)")
            }
            try Self.write(bytes, to: path)
            written.append(path)
        }
        let page = "\(directory)/\(ResultsFileName.page)"
        let html = try ResultsPage(results: results, taskLimit: taskLimit).html()
        try Self.write(Array(html.utf8), to: page)
        written.append(page)
        return written
    }

    /// Writes `rebuilder_<project>.prom` into `textfileDirectory`, which must exist (it is
    /// node_exporter's, not ours to create).
    /// - Returns: the path written.
    @discardableResult
    public func writeTextfile(_ results: ProjectResults, textfileDirectory: String) throws(ResultsError) -> String {
        let path = "\(textfileDirectory)/\(ResultsFileName.textfile(forProject: results.project))"
        try Self.write(Array(PrometheusTextfile(results: results).text().utf8), to: path)
        return path
    }

    /// Readers (the web server, node_exporter, rsync) see the old file or the new one, and the
    /// new one survives a crash once this returns (`AtomicFile`, flushed with its directory).
    private static func write(_ bytes: [UInt8], to path: String) throws(ResultsError) {
        do {
            try AtomicFile.write(bytes, to: path, durability: .fileAndDirectory)
        } catch {
            throw .file(path: error.path, operation: error.operation, reason: error.errno?.description ?? error.reason ?? "failed")
        }
    }

    /// Creates `path` (and its parents) if missing.
    private static func makeDirectory(_ path: String) throws(ResultsError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .file(path: path, operation: "mkdir", reason: "\(error.localizedDescription)")
        }
    }
}
