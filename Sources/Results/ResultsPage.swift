import Foundation
import Spool

/// The static page `results/index.html`: summary table, one chart per suite, then the tasks.
/// Self-contained (inline CSS and SVG, no script, nothing fetched), so it works from any
/// static host or straight from the file system.
public struct ResultsPage: Sendable {
    public var results: ProjectResults
    /// Above this many tasks the page lists only those that are not reproducible (and at
    /// most this many of them); the JSON exports always hold everything.
    public var taskLimit: Int

    public init(results: ProjectResults, taskLimit: Int = 5000) {
        self.results = results
        self.taskLimit = taskLimit
    }

    public func html() throws(ResultsError) -> String {
        let project = HTMLText.escape(results.project)
        let total = results.taskCount
        let count = results.distributions.count
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Rebuild results: \(project)</title>
            <style>
            \(Self.style)</style>
            </head>
            <body>
            <h1>Rebuild results: \(project)</h1>
            <p class="note">Generated \(Timestamp.formatWholeSeconds(results.generated.timeIntervalSince1970)) · \(total) task\(total == 1 ? "" : "s") \
            in \(count) distribution\(count == 1 ? "" : "s")</p>

            """
        page += try summary()
        page += charts()
        page += try tasks()
        page += "</body>\n</html>\n"
        return page
    }

    // MARK: Sections

    private func summary() throws(ResultsError) -> String {
        var html = "<h2>Summary</h2>\n<table class=\"summary\">\n<thead><tr><th>Distribution</th>"
        html += TaskStatus.allCases.map { "<th>\(Self.badge($0))</th>" }.joined()
        html += "<th>total</th><th>JSON</th></tr></thead>\n<tbody>\n"
        for (index, distribution) in results.distributions.enumerated() {
            let file = try ResultsFileName.export(for: distribution.group)
            html += "<tr><td><a href=\"#\(Self.anchor(index))\">\(Self.breakable(distribution.group.name))</a></td>"
            html += TaskStatus.allCases.map { "<td class=\"n\">\(distribution.counts[$0])</td>" }.joined()
            html += "<td class=\"n\">\(distribution.counts.total)</td>"
            html += "<td><a href=\"\(HTMLText.href(file))\">json</a></td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    /// One chart per suite, one bar per package-set selection and architecture within it.
    private func charts() -> String {
        var html = "<h2>Charts</h2>\n"
        // Distributions come sorted by suite; nil is the unknown group, kept apart from a suite named "unknown".
        var suites: [(suite: String?, bars: [StatusChart.Bar])] = []
        for distribution in results.distributions {
            let suite = distribution.group.spec?.suite
            let bar = StatusChart.Bar(label: Self.barLabel(distribution.group), counts: distribution.counts)
            if let last = suites.last, last.suite == suite {
                suites[suites.count - 1].bars.append(bar)
            } else {
                suites.append((suite, [bar]))
            }
        }
        for (suite, bars) in suites {
            let name = suite ?? DistributionGroup.unknownName
            html += "<h3>\(HTMLText.escape(name))</h3>\n"
            html += StatusChart(title: "\(results.project) \(name)", bars: bars).svg() + "\n"
        }
        return html
    }

    private func tasks() throws(ResultsError) -> String {
        var html = "<h2>Tasks</h2>\n"
        let truncated = results.taskCount > taskLimit
        if truncated {
            html += "<p class=\"note\">This project has \(results.taskCount) tasks, more than the \(taskLimit) "
                + "this page lists: only tasks that are not reproducible are shown. Every task is in the JSON "
                + "file of its distribution.</p>\n"
        }
        var budget = taskLimit
        for (index, distribution) in results.distributions.enumerated() {
            let rows: ArraySlice<TaskRow>
            if truncated {
                rows = distribution.rows.filter { $0.status != .reproducible }.prefix(budget)
                budget -= rows.count
            } else {
                rows = distribution.rows[...]
            }
            html += "<h3 id=\"\(Self.anchor(index))\">\(Self.breakable(distribution.group.name))</h3>\n"
            if rows.count < distribution.rows.count {
                let file = try ResultsFileName.export(for: distribution.group)
                html += "<p class=\"note\">Listing \(rows.count) of \(distribution.rows.count) tasks; all are in "
                    + "<a href=\"\(HTMLText.href(file))\">\(HTMLText.escape(file))</a>.</p>\n"
            }
            if distribution.rows.isEmpty {
                html += "<p class=\"note\">No tasks yet.</p>\n"
            } else if !rows.isEmpty {
                html += Self.table(rows)
            }
        }
        return html
    }

    // MARK: Pieces

    private static func table(_ rows: ArraySlice<TaskRow>) -> String {
        var html = "<table class=\"tasks\">\n<thead><tr><th>Source</th><th>Version</th><th>Arch</th>"
            + "<th>Status</th><th>Attempts</th><th>Updated</th><th>Files</th></tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr><td>\(HTMLText.escape(row.source))</td><td>\(HTMLText.escape(row.version))</td>"
                + "<td>\(HTMLText.escape(row.architecture))</td><td class=\"s-\(row.status.rawValue)\">\(row.status.rawValue)</td>"
                + "<td class=\"n\">\(row.attempts)</td><td>\(HTMLText.escape(row.updated))</td>"
                + "<td>\(links(row))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    /// Row paths are relative to the project tree; the page lives in its `results/`.
    private static func links(_ row: TaskRow) -> String {
        var links: [String] = []
        if let log = row.log { links.append(link(log, text: "log")) }
        links += row.metadata.map { link($0, text: basename($0)) }
        links += row.diffoscope.map { link($0, text: "diffoscope") }
        return links.joined(separator: " ")
    }

    private static func link(_ path: String, text: String) -> String {
        "<a href=\"\(HTMLText.href("../" + path))\">\(HTMLText.escape(text))</a>"
    }

    private static func basename(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    private static func badge(_ status: TaskStatus) -> String {
        "<span class=\"status s-\(status.rawValue)\">\(status.rawValue)</span>"
    }

    /// Long specs may wrap after each "+" instead of overflowing a narrow column.
    private static func breakable(_ name: String) -> String {
        HTMLText.escape(name).replacingOccurrences(of: "+", with: "+<wbr>")
    }

    /// Positional, since specs may hold characters an id or fragment would need escaped.
    private static func anchor(_ index: Int) -> String { "distribution-\(index + 1)" }

    private static func barLabel(_ group: DistributionGroup) -> String {
        guard let spec = group.spec else { return "unparsable or missing distribution" }
        let sets = spec.packageSets.isEmpty ? "all packages" : spec.packageSets.joined(separator: "+")
        return "\(sets) · \(spec.architecture)"
    }

    private static let style = """
        body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1a1a1a; background: #ffffff;
               max-width: 1000px; margin: 1.5rem auto; padding: 0 1rem; }
        h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
        h2 { font-size: 1.3rem; border-bottom: 1px solid #cccccc; padding-bottom: 0.2rem; margin-top: 2rem; }
        h3 { font-size: 1.1rem; margin: 1.2rem 0 0.4rem; overflow-wrap: anywhere; }
        .note { color: #555555; }
        table.summary { width: 100%; }
        table { border-collapse: collapse; font-size: 0.85rem; margin: 0.4rem 0 1rem; }
        th, td { border: 1px solid #cccccc; padding: 0.15rem 0.45rem; text-align: left; vertical-align: top; }
        th { background: #f0f0f0; }
        td { overflow-wrap: anywhere; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        .chart { max-width: 100%; height: auto; display: block; }
        .status { display: inline-block; padding: 0 0.35rem; border-radius: 3px; white-space: nowrap; }

        """ + TaskStatus.allCases.map {
            ".s-\($0.rawValue) { background: \(StatusStyle.fill($0)); color: \(StatusStyle.text($0)); }\n"
        }.joined()
}
