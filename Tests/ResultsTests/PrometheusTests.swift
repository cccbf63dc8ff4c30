import Foundation
import Testing
@testable import Results

@Suite struct PrometheusTests {
    @Test func everyDistributionHasEveryStatusZerosIncluded() throws {
        let project = try results([
            row("a", distribution: "bookworm.amd64", status: .ftbfs),
            row("b", distribution: "", status: .waiting),
        ], configured: ["trixie.amd64"])
        let samples = try Exposition.parse(PrometheusTextfile(results: project).text()).samples
            .filter { $0.name == "rebuilder_tasks" }
        #expect(samples.count == 3 * TaskStatus.allCases.count)
        for distribution in ["bookworm.amd64", "trixie.amd64", "unknown"] {
            let statuses = samples.filter { $0.labels["distribution"] == distribution }.compactMap { $0.labels["status"] }
            #expect(statuses == TaskStatus.allCases.map(\.rawValue))
        }
        #expect(samples.first { $0.labels == ["project": "debian", "distribution": "bookworm.amd64", "status": "ftbfs"] }?.value == "1")
        #expect(samples.first { $0.labels == ["project": "debian", "distribution": "unknown", "status": "waiting"] }?.value == "1")
        #expect(samples.filter { $0.labels["distribution"] == "trixie.amd64" }.allSatisfy { $0.value == "0" })
    }

    @Test func textfileIsStableForAFixedTime() throws {
        let project = try results([row("a", status: .reproducible)],
                                  stages: [StageDurations(stage: "build", count: 2, totalSeconds: 12.5)])
        let reproducible = "rebuilder_tasks{project=\"debian\",distribution=\"bookworm+essential.amd64\","
        #expect(PrometheusTextfile(results: project).text() == """
            # HELP rebuilder_tasks Tasks of a project by distribution and status.
            # TYPE rebuilder_tasks gauge
            \(reproducible)status="reproducible"} 1
            \(reproducible)status="unreproducible"} 0
            \(reproducible)status="ftbfs"} 0
            \(reproducible)status="retry"} 0
            \(reproducible)status="building"} 0
            \(reproducible)status="waiting"} 0
            \(reproducible)status="failed"} 0
            # HELP rebuilder_stage_duration_seconds Time spent in stage jobs.
            # TYPE rebuilder_stage_duration_seconds summary
            rebuilder_stage_duration_seconds_sum{project="debian",stage="build"} 12.5
            rebuilder_stage_duration_seconds_count{project="debian",stage="build"} 2
            # HELP rebuilder_results_generated_timestamp_seconds When the results were generated, in seconds since the epoch.
            # TYPE rebuilder_results_generated_timestamp_seconds gauge
            rebuilder_results_generated_timestamp_seconds{project="debian"} 1714564800.0

            """)
    }

    @Test func labelValuesAreEscaped() throws {
        let project = "a\\b\"c\nd/é"
        let rows = [row("x", distribution: "sid\\\"\n.amd64", project: project)]
        let text = PrometheusTextfile(results: try results(rows, project: project)).text()
        #expect(text.contains("project=\"a\\\\b\\\"c\\nd/é\""))
        // The spec has a newline, so it is unknown; the project label still round-trips.
        let parsed = try Exposition.parse(text)
        #expect(parsed.samples.allSatisfy { $0.labels["project"] == project })
        #expect(PrometheusTextfile.labelValue("sid\\\"\n") == "sid\\\\\\\"\\n")
    }

    @Test func everyLineIsValidExposition() throws {
        let project = try results(
            (0..<50).map { row("p\($0)", distribution: ["bookworm.amd64", "qubes-4.1-vm-bullseye.amd64", ""][$0 % 3],
                               status: TaskStatus.allCases[$0 % 7], project: "qubesos/deb/r4.1/vm") },
            project: "qubesos/deb/r4.1/vm",
            stages: [StageDurations(stage: "build", count: 3, totalSeconds: 1e-3),
                     StageDurations(stage: "report", count: 0, totalSeconds: 0)])
        let parsed = try Exposition.parse(PrometheusTextfile(results: project).text())
        #expect(parsed.types == [
            "rebuilder_tasks": "gauge",
            "rebuilder_stage_duration_seconds": "summary",
            "rebuilder_results_generated_timestamp_seconds": "gauge",
        ])
        #expect(parsed.samples.count == 3 * 7 + 2 * 2 + 1)
        #expect(Set(parsed.samples.map { "\($0.name)\($0.labels.sorted { $0.key < $1.key })" }).count == parsed.samples.count,
                "no duplicate series")
    }

    @Test func numbersUseTheExpositionSpelling() {
        #expect(PrometheusTextfile.number(.infinity) == "+Inf")
        #expect(PrometheusTextfile.number(-.infinity) == "-Inf")
        #expect(PrometheusTextfile.number(.nan) == "NaN")
        #expect(PrometheusTextfile.number(0.25) == "0.25")
    }

    /// promtool is the reference checker; it is usually not installed, so this only runs where it is.
    @Test(.enabled(if: Exposition.promtool != nil))
    func promtoolAcceptsTheTextfile() throws {
        let project = try results([row("a"), row("b", distribution: "")],
                                  stages: [StageDurations(stage: "build", count: 1, totalSeconds: 2)])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Exposition.promtool))
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data(PrometheusTextfile(results: project).text().utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}

/// A strict reader of the text exposition format, enough to check what PrometheusTextfile writes:
/// comment lines are HELP or TYPE, a TYPE comes before its samples, label values are quoted with
/// only the three escapes, and each value is a Go float.
struct Exposition {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: String
    }

    struct Malformed: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "line \(line): \(reason)" }
    }

    var types: [String: String] = [:]
    var samples: [Sample] = []

    static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static func parse(_ text: String) throws -> Exposition {
        guard text.hasSuffix("\n") else { throw Malformed(line: 0, reason: "no final newline") }
        var result = Exposition()
        for (index, line) in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            if line.hasPrefix("#") {
                let words = line.split(separator: " ", maxSplits: 3).map(String.init)
                guard words.count >= 3, words[0] == "#", isMetricName(words[2]) else {
                    throw Malformed(line: number, reason: "bad comment: \(line)")
                }
                switch words[1] {
                case "HELP":
                    guard words.count == 4 else { throw Malformed(line: number, reason: "HELP without text") }
                case "TYPE":
                    guard words.count == 4, ["counter", "gauge", "summary", "histogram", "untyped"].contains(words[3]),
                          result.types[words[2]] == nil else { throw Malformed(line: number, reason: "bad TYPE: \(line)") }
                    result.types[words[2]] = words[3]
                default:
                    throw Malformed(line: number, reason: "unknown comment: \(line)")
                }
                continue
            }
            let sample = try parseSample(Substring(line), line: number)
            let family = ["_sum", "_count"].reduce(sample.name) { name, suffix in
                result.types[name] == nil && name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : name
            }
            guard result.types[family] != nil else { throw Malformed(line: number, reason: "sample before its TYPE: \(line)") }
            result.samples.append(sample)
        }
        return result
    }

    private static func parseSample(_ line: Substring, line number: Int) throws -> Sample {
        guard let brace = line.firstIndex(of: "{") else { throw Malformed(line: number, reason: "no labels: \(line)") }
        let name = String(line[..<brace])
        guard isMetricName(name) else { throw Malformed(line: number, reason: "bad metric name \(name)") }
        var labels: [String: String] = [:]
        var rest = line[line.index(after: brace)...]
        while !rest.hasPrefix("}") {
            guard let equals = rest.firstIndex(of: "="), isLabelName(String(rest[..<equals])),
                  rest[rest.index(after: equals)...].hasPrefix("\"") else {
                throw Malformed(line: number, reason: "bad label at: \(rest)")
            }
            let label = String(rest[..<equals])
            var value = ""
            var position = rest.index(equals, offsetBy: 2)
            while true {
                guard position < rest.endIndex else { throw Malformed(line: number, reason: "unterminated value") }
                let character = rest[position]
                if character == "\"" { break }
                if character == "\n" { throw Malformed(line: number, reason: "raw newline in value") }
                if character == "\\" {
                    position = rest.index(after: position)
                    guard position < rest.endIndex else { throw Malformed(line: number, reason: "dangling escape") }
                    switch rest[position] {
                    case "\\": value.append("\\")
                    case "\"": value.append("\"")
                    case "n": value.append("\n")
                    default: throw Malformed(line: number, reason: "bad escape \\\(rest[position])")
                    }
                } else {
                    value.append(character)
                }
                position = rest.index(after: position)
            }
            guard labels.updateValue(value, forKey: label) == nil else { throw Malformed(line: number, reason: "label \(label) twice") }
            rest = rest[rest.index(after: position)...]
            if rest.hasPrefix(",") { rest = rest.dropFirst() }
        }
        let value = String(rest.dropFirst())
        guard value.hasPrefix(" "), isFloat(String(value.dropFirst())) else {
            throw Malformed(line: number, reason: "bad value '\(value)'")
        }
        return Sample(name: name, labels: labels, value: String(value.dropFirst()))
    }

    private static func isMetricName(_ name: String) -> Bool {
        name.range(of: "^[a-zA-Z_:][a-zA-Z0-9_:]*$", options: .regularExpression) != nil
    }

    private static func isLabelName(_ name: String) -> Bool {
        name.range(of: "^[a-zA-Z_][a-zA-Z0-9_]*$", options: .regularExpression) != nil && !name.hasPrefix("__")
    }

    private static func isFloat(_ text: String) -> Bool {
        ["+Inf", "-Inf", "NaN"].contains(text)
            || text.range(of: "^[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$", options: .regularExpression) != nil
    }
}
