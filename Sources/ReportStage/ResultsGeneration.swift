import Upstream
import RebuilderSettings
import Foundation
import Publishing
import Results
import Spool

/// Regenerates the results of projects from the whole spool: per distribution a JSON export and
/// the HTML page in `<project>/results/`, and the Prometheus textfile when a directory is set.
public struct ResultsGeneration: Sendable {
    public var spool: SpoolReader
    public var publishedRoot: String
    public var prometheusDirectory: String?
    /// Project → distribution specs configured for it, shown even before they have tasks.
    public var configuredDistributions: [String: [String]]

    public init(spool: SpoolReader, publishedRoot: String, prometheusDirectory: String?, configuredDistributions: [String: [String]]) {
        self.spool = spool
        self.publishedRoot = publishedRoot
        self.prometheusDirectory = prometheusDirectory
        self.configuredDistributions = configuredDistributions
    }

    /// Writes the results of `projects` (all projects with tasks or configured specs when nil);
    /// returns the projects written with their task counts.
    @discardableResult
    public func generate(projects: Set<String>? = nil, now: Date = Date()) throws -> [(project: String, tasks: Int)] {
        var projectOfSpec: [String: String] = [:]
        for (project, specs) in configuredDistributions { for spec in specs { projectOfSpec[spec] = project } }
        let collected = try ResultsCollector(spool: spool).collect(projectOfSpec: projectOfSpec)
        let all = Set(collected.rows.keys).union(configuredDistributions.keys)
        var written: [(String, Int)] = []
        for project in all.sorted() where projects?.contains(project) ?? true {
            let path = try ProjectPath(project)
            let results = try ProjectResults(project: project, rows: collected.rows[project] ?? [],
                                             configuredDistributions: configuredDistributions[project] ?? [],
                                             stageDurations: collected.durations[project] ?? [], generated: now)
            let writer = ResultsWriter()
            try writer.writePages(results, projectDirectory: PublishedTree(root: publishedRoot, project: path).path)
            if let prometheusDirectory { try writer.writeTextfile(results, textfileDirectory: prometheusDirectory) }
            written.append((project, results.taskCount))
        }
        return written
    }

    /// When a project's results were last written (its page's modification time).
    public func lastGenerated(project: ProjectPath) -> Double? {
        var status = stat()
        let page = PublishedTree(root: publishedRoot, project: project).absolute("\(PublishedTree.results)/index.html")
        guard stat(page, &status) == 0 else { return nil }
        return Double(status.st_mtim.tv_sec)
    }
}

extension ResultsGeneration {
    /// From [publish], with each configured spec (and its package sets) shown under the project
    /// the get stage labels its tasks with.
    public init(configuration: RebuilderConfiguration, spool: SpoolReader) {
        var specsOfProject: [String: [String]] = [:]
        for configured in configuration.configuredSpecs {
            specsOfProject[configured.project, default: []] += [configured.spec.raw] + configured.spec.packageSetSpecs
        }
        self.init(spool: spool, publishedRoot: configuration.publish.root,
                  prometheusDirectory: configuration.publish.prometheusDirectory, configuredDistributions: specsOfProject)
    }
}
