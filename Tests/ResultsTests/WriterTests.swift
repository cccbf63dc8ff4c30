import Foundation
import Testing
@testable import Results

@Suite struct WriterTests {
    @Test func writesEveryExportAndThePageWithoutLeavingTemporaryFiles() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let project = try results([
            row("a", distribution: "bookworm+essential.amd64"),
            row("b", distribution: "buster/updates.amd64"),
            row("c", distribution: ""),
        ])

        let written = try ResultsWriter().writePages(project, projectDirectory: directory)
        #expect(written == [
            "\(directory)/results/bookworm+essential.amd64.json",
            "\(directory)/results/buster%2Fupdates.amd64.json",
            "\(directory)/results/unknown.json",
            "\(directory)/results/index.html",
        ])
        #expect(try listing(directory) == ["results"])
        #expect(try listing("\(directory)/results") == [
            "bookworm+essential.amd64.json", "buster%2Fupdates.amd64.json", "index.html", "unknown.json",
        ])
        let export = try JSONDecoder().decode(DistributionExport.self,
                                              from: Data(contentsOf: URL(fileURLWithPath: written[1])))
        #expect(export.tasks.map(\.source) == ["b"])
        let page = try String(contentsOfFile: written[3], encoding: .utf8)
        #expect(page == (try ResultsPage(results: project).html()))
    }

    @Test func rewritingReplacesTheFiles() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = ResultsWriter()
        try writer.writePages(try results([row("a", status: .waiting)]), projectDirectory: directory)
        let path = try writer.writePages(try results([row("a", status: .reproducible)]), projectDirectory: directory)[0]
        let export = try JSONDecoder().decode(DistributionExport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(export.counts[.reproducible] == 1 && export.counts[.waiting] == 0)
        #expect(try listing("\(directory)/results") == ["bookworm+essential.amd64.json", "index.html"])
    }

    @Test func writesTheTextfileUnderTheProjectName() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let project = try results([row("a", project: "qubesos/deb/r4.1/vm")], project: "qubesos/deb/r4.1/vm")
        let path = try ResultsWriter().writeTextfile(project, textfileDirectory: directory)
        #expect(path == "\(directory)/rebuilder_qubesos_deb_r4.1_vm.prom")
        #expect(try listing(directory) == ["rebuilder_qubesos_deb_r4.1_vm.prom"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == PrometheusTextfile(results: project).text())
    }

    @Test func aMissingTextfileDirectoryIsNamedInTheError() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let missing = "\(directory)/absent"
        let error = #expect(throws: ResultsError.self) {
            try ResultsWriter().writeTextfile(try results([]), textfileDirectory: missing)
        }
        let description = try #require(error).description
        #expect(description.hasPrefix("\(missing)/.rebuilder_debian.prom."))
        #expect(description.hasSuffix(".tmp: open failed: No such file or directory"))
    }

    @Test func aFailedRenameLeavesNoTemporaryFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A directory where the page should go: rename(2) refuses to replace it with a file.
        try FileManager.default.createDirectory(atPath: "\(directory)/results/index.html", withIntermediateDirectories: true)
        let error = #expect(throws: ResultsError.self) {
            try ResultsWriter().writePages(try results([row("a")]), projectDirectory: directory)
        }
        #expect(error == .file(path: "\(directory)/results/index.html", operation: "rename", reason: "Is a directory"))
        #expect(try listing("\(directory)/results") == ["bookworm+essential.amd64.json", "index.html"])
    }
}
