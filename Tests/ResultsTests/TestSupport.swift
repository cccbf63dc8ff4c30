import Foundation
import Testing
@testable import Results

/// 2024-05-01T12:00:00Z: every test passes this generation time instead of reading the clock.
let fixedTime = Date(timeIntervalSince1970: 1_714_564_800)

/// A row of project "debian" with only what a test cares about to fill in.
func row(_ source: String, _ version: String = "1.0-1", arch: String = "amd64",
         distribution: String = "bookworm+essential.amd64", status: TaskStatus = .reproducible,
         project: String = "debian", attempts: Int = 1, log: String? = nil,
         metadata: [String] = [], diffoscope: [String] = []) -> TaskRow {
    TaskRow(task: "\(source)_\(version)_\(arch).buildinfo", project: project, distribution: distribution,
            source: source, version: version, architecture: arch, status: status, attempts: attempts,
            log: log, metadata: metadata, diffoscope: diffoscope, updated: "2024-05-01T11:00:00Z")
}

func results(_ rows: [TaskRow], project: String = "debian", configured: [String] = [],
             stages: [StageDurations] = []) throws -> ProjectResults {
    try ProjectResults(project: project, rows: rows, configuredDistributions: configured,
                       stageDurations: stages, generated: fixedTime)
}

/// A fresh directory for one test, removed by the caller.
func makeTemporaryDirectory() throws -> String {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("ResultsTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.path
}

func listing(_ directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
}

extension String {
    func occurrences(of needle: String) -> Int {
        components(separatedBy: needle).count - 1
    }
}
