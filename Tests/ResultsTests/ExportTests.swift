import Foundation
import Testing
@testable import Results

@Suite struct ExportTests {
    @Test func exportIsStableForAFixedTime() throws {
        let project = try results([
            row("hello-repro", "1:1.0+dfsg~1", status: .unreproducible, log: "logs/hello-repro_1.0-1_amd64.log",
                metadata: ["sources/hello-repro/1.0-1/rebuild.1234abcd.link"], diffoscope: ["diffoscope/hello-repro.html"]),
        ])
        let export = DistributionExport(project.distributions[0], project: "debian", generated: fixedTime)
        let text = String(decoding: try export.encoded(), as: UTF8.self)
        #expect(text == """
            {
              "architecture" : "amd64",
              "counts" : {
                "building" : 0,
                "failed" : 0,
                "ftbfs" : 0,
                "reproducible" : 0,
                "retry" : 0,
                "unreproducible" : 1,
                "waiting" : 0
              },
              "distribution" : "bookworm+essential.amd64",
              "generated" : "2024-05-01T12:00:00Z",
              "packageSets" : [
                "essential"
              ],
              "project" : "debian",
              "suite" : "bookworm",
              "tasks" : [
                {
                  "architecture" : "amd64",
                  "attempts" : 1,
                  "diffoscope" : [
                    "diffoscope/hello-repro.html"
                  ],
                  "distribution" : "bookworm+essential.amd64",
                  "log" : "logs/hello-repro_1.0-1_amd64.log",
                  "metadata" : [
                    "sources/hello-repro/1.0-1/rebuild.1234abcd.link"
                  ],
                  "project" : "debian",
                  "source" : "hello-repro",
                  "status" : "unreproducible",
                  "task" : "hello-repro_1:1.0+dfsg~1_amd64.buildinfo",
                  "updated" : "2024-05-01T11:00:00Z",
                  "version" : "1:1.0+dfsg~1"
                }
              ],
              "total" : 1
            }

            """)
    }

    @Test func exportRoundTripsAndCountsEveryStatus() throws {
        let rows = TaskStatus.allCases.map { row("p-\($0.rawValue)", status: $0) }
        let project = try results(rows + [row("q", status: .ftbfs)])
        let export = DistributionExport(project.distributions[0], project: "debian", generated: fixedTime)
        let decoded = try JSONDecoder().decode(DistributionExport.self, from: Data(try export.encoded()))
        #expect(decoded == export)
        #expect(decoded.total == 8)
        #expect(decoded.counts[.ftbfs] == 2)
        #expect(TaskStatus.allCases.allSatisfy { decoded.counts[$0] >= 1 })
    }

    @Test func theUnknownExportHasNoParsedFields() throws {
        let project = try results([row("a", distribution: "garbage")])
        let export = DistributionExport(project.distributions[0], project: "debian", generated: fixedTime)
        #expect(export.distribution == "unknown")
        #expect(export.suite == nil && export.packageSets == nil && export.architecture == nil)
        #expect(export.tasks.map(\.distribution) == ["garbage"])
        #expect(try ResultsFileName.export(for: .unknown) == "unknown.json")
    }

    @Test(arguments: [
        ("bookworm+essential+required.amd64", "bookworm+essential+required.amd64.json"),
        ("qubes-4.1-vm-bullseye.amd64", "qubes-4.1-vm-bullseye.amd64.json"),
        ("buster/updates.amd64", "buster%2Fupdates.amd64.json"),
        ("../../x.amd64", "%2E.%2F..%2Fx.amd64.json"),
        (".hidden.amd64", "%2Ehidden.amd64.json"),
        ("50%.amd64", "50%25.amd64.json"),
        ("sid<é>.all", "sid%3C%C3%A9%3E.all.json"),
    ])
    func exportFileNamesStayInsideTheDirectory(spec: String, expected: String) throws {
        let group = DistributionGroup(distribution: spec)
        #expect(group.name == spec, "the spec should parse, so the escaping is what keeps it inside")
        let name = try ResultsFileName.export(for: group)
        #expect(name == expected)
        #expect(!name.contains("/") && !name.hasPrefix("."))
    }

    @Test func anOverlongFileNameIsRefusedWithTheReason() throws {
        let spec = String(repeating: "x", count: 300) + ".amd64"
        let error = #expect(throws: ResultsError.self) {
            try ResultsFileName.export(for: DistributionGroup(distribution: spec))
        }
        let description = try #require(error).description
        #expect(description.hasPrefix("no results file name for distribution '\(spec)': the escaped name"))
        #expect(description.hasSuffix("is longer than 255 bytes"))
    }

    @Test(arguments: [
        ("debian", "rebuilder_debian.prom"),
        ("qubesos/deb/r4.1/vm", "rebuilder_qubesos_deb_r4.1_vm.prom"),
        ("../evil\n\"x\"", "rebuilder_.._evil__x_.prom"),
    ])
    func textfileNamesAreFlat(project: String, expected: String) {
        #expect(ResultsFileName.textfile(forProject: project) == expected)
    }
}
