import Testing
@testable import Results

@Suite struct PageTests {
    @Test func hostileStringsAreEscapedEverywhere() throws {
        let hostile = "<script>alert(\"x\" & 'y')</script>"
        let name = "p<b>\"&"
        let project = try results([
            row(hostile, hostile, distribution: "sid<script>.amd64", status: .ftbfs, project: name,
                log: "logs/\(hostile).log", metadata: ["javascript:alert(1)"], diffoscope: ["d/\"><b>.html"]),
        ], project: name)
        let html = try ResultsPage(results: project).html()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"))
        #expect(html.contains("<title>Rebuild results: p&lt;b&gt;&quot;&amp;</title>"))
        // Links are relative to the page and percent-encoded: no scheme, no way out of the attribute.
        #expect(html.contains("href=\"../javascript%3Aalert%281%29\""))
        #expect(html.contains("href=\"../d/%22%3E%3Cb%3E.html\""))
        #expect(html.contains("href=\"sid%253Cscript%253E.amd64.json\""))
    }

    @Test func versionsWithPlusTildeAndColonShowAsTheyAre() throws {
        let project = try results([row("glibc", "1:2.36-9+deb12u4~bpo1", status: .unreproducible)])
        let html = try ResultsPage(results: project).html()
        #expect(html.contains("<td>1:2.36-9+deb12u4~bpo1</td>"))
        #expect(html.contains("<td class=\"s-unreproducible\">unreproducible</td>"))
    }

    @Test func oneChartPerSuiteWithOneBarPerSetsAndArchitecture() throws {
        let project = try results([
            row("a", distribution: "bookworm+essential+required.amd64"),
            row("b", distribution: "bookworm+essential+required.arm64", status: .ftbfs),
            row("c", distribution: "bookworm.amd64", status: .waiting),
            row("d", distribution: "trixie+essential.amd64", status: .unreproducible),
            row("e", distribution: "", status: .failed),
            row("f", distribution: "unknown.amd64", status: .failed),
        ])
        let html = try ResultsPage(results: project).html()
        #expect(html.occurrences(of: "<svg") == 4)
        #expect(html.contains("<h3>bookworm</h3>\n<svg"))
        #expect(html.contains("<h3>trixie</h3>\n<svg"))
        #expect(html.occurrences(of: "<h3>unknown</h3>\n<svg") == 2, "a suite named unknown is not the unknown group")
        #expect(html.contains(">essential+required · amd64 — 1 task</text>"))
        #expect(html.contains(">essential+required · arm64 — 1 task</text>"))
        #expect(html.contains(">all packages · amd64 — 1 task</text>"))
        #expect(html.contains(">unparsable or missing distribution — 1 task</text>"))
        // Each chart has the full legend.
        #expect(html.occurrences(of: ">unreproducible</text>") == 4)
        #expect(html.contains("ftbfs 1 (100.0%)"))
    }

    @Test func chartSegmentsFillTheBarWithoutGaps() {
        var counts = StatusCounts()
        counts[.reproducible] = 7
        counts[.unreproducible] = 2
        counts[.ftbfs] = 1
        let svg = StatusChart(title: "t", bars: [.init(label: "x", counts: counts)]).svg()
        #expect(svg.contains("<rect x=\"8\" y=\"56\" width=\"660\" height=\"28\" fill=\"#2e7d32\"><title>reproducible: 7 (70.0%)</title></rect>"))
        #expect(svg.contains("<rect x=\"668\" y=\"56\" width=\"189\" height=\"28\" fill=\"#f9a825\">"))
        #expect(svg.contains("<rect x=\"857\" y=\"56\" width=\"95\" height=\"28\" fill=\"#c62828\">"))
        #expect(svg.contains(">7 (70.0%)</text>"))
        #expect(svg.contains("reproducible 7 (70.0%) · unreproducible 2 (20.0%) · ftbfs 1 (10.0%)"))
    }

    @Test func anEmptyDistributionGetsAnEmptyBar() throws {
        let html = try ResultsPage(results: try results([], configured: ["bookworm.amd64"])).html()
        #expect(html.contains(">all packages · amd64 — 0 tasks</text>"))
        #expect(html.contains(">no tasks yet</text>"))
        #expect(html.contains("<h3 id=\"distribution-1\">bookworm.amd64</h3>\n<p class=\"note\">No tasks yet.</p>"))
    }

    @Test func aSmallProjectListsEveryTask() throws {
        let rows = (0..<10).map { row("p\($0)", status: $0 < 8 ? .reproducible : .ftbfs) }
        let html = try ResultsPage(results: try results(rows), taskLimit: 10).html()
        #expect(html.occurrences(of: "<td class=\"s-reproducible\">") == 8)
        #expect(!html.contains("Listing"))
    }

    @Test func aLargeProjectListsOnlyWhatIsNotReproducible() throws {
        let rows = (0..<6000).map { index in
            row("p\(index)", distribution: index % 2 == 0 ? "bookworm.amd64" : "trixie.amd64",
                status: index % 100 == 0 ? .ftbfs : .reproducible)
        }
        let html = try ResultsPage(results: try results(rows)).html()
        #expect(html.contains("This project has 6000 tasks, more than the 5000 this page lists"))
        #expect(html.occurrences(of: "<td class=\"s-reproducible\">") == 0)
        #expect(html.occurrences(of: "<td class=\"s-ftbfs\">") == 60)
        #expect(html.contains("Listing 60 of 3000 tasks; all are in <a href=\"bookworm.amd64.json\">bookworm.amd64.json</a>."))
        #expect(html.contains("Listing 0 of 3000 tasks; all are in <a href=\"trixie.amd64.json\">trixie.amd64.json</a>."))
        #expect(html.utf8.count < 100_000)
    }

    @Test func evenTheNonReproducibleListIsCappedAtTheLimit() throws {
        let rows = (0..<30).map { row("p\($0)", distribution: $0 < 15 ? "a.amd64" : "b.amd64", status: .waiting) }
        let html = try ResultsPage(results: try results(rows), taskLimit: 20).html()
        #expect(html.occurrences(of: "<td class=\"s-waiting\">") == 20)
        #expect(html.contains("Listing 5 of 15 tasks"))
    }

    @Test func thePageIsStableForAFixedTime() throws {
        let rows = [row("b", status: .retry), row("a", log: "logs/a.log"), row("c", distribution: "")]
        let first = try ResultsPage(results: try results(rows)).html()
        let second = try ResultsPage(results: try results(rows.reversed())).html()
        #expect(first == second)
        #expect(first.contains("<p class=\"note\">Generated 2024-05-01T12:00:00Z · 3 tasks in 2 distributions</p>"))
        #expect(first.hasPrefix("<!DOCTYPE html>\n"))
        #expect(first.hasSuffix("</body>\n</html>\n"))
        // Self-contained: no script, no external resource.
        #expect(!first.contains("<script") && !first.contains("src=") && !first.contains("<link") && !first.contains("url(") && !first.contains("@import"))
    }
}
