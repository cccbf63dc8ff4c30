import Foundation
import Testing
@testable import RebuilderSettings

/// Parses `text` as if read from `path` and returns the error it must produce,
/// recording an issue (so the test fails) when it parses or fails differently.
func parseError(_ text: String, path: String = "test.conf",
                sourceLocation: SourceLocation = #_sourceLocation) -> ConfigurationError? {
    do {
        let configuration = try RebuilderConfiguration.parse(text: text, path: path)
        Issue.record("expected an error, but it parsed: \(configuration)", sourceLocation: sourceLocation)
    } catch let error as ConfigurationError {
        return error
    } catch {
        Issue.record("expected a ConfigurationError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// A fresh directory for one test, removed by the caller.
func makeTemporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("RebuilderSettingsTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

extension RebuilderConfiguration {
    /// The specs of one distribution section, as written.
    func specs(of distribution: String) -> [String] {
        configuredSpecs.filter { $0.distribution == distribution }.map(\.spec.raw)
    }
}
