import Buildinfo
import Foundation
import Testing
import Upstream

/// Real Debian data (copies of `shared/fixtures/debian/`, see Fixtures/README.md), read relative to this file.
enum SharedFixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The file's bytes; records an issue (so the test fails) when it cannot be read.
    static func bytes(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> [UInt8] {
        let path = directory.appendingPathComponent(name).path
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else {
            Issue.record("fixture \(path) missing or empty", sourceLocation: sourceLocation)
            return []
        }
        return Array(data)
    }
}

/// `BuildinfoPool.latest` on `text` for amd64, recording an issue if it throws.
func poolSelection(
    _ text: String, architecture: String = "amd64", sourceLocation: SourceLocation = #_sourceLocation
) -> Selection? {
    do {
        return try BuildinfoPool.latest(listing: Array(text.utf8), architecture: architecture, source: "t.list")
    } catch {
        Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The error `body` throws; records an issue if it throws none.
func upstreamError<T>(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws(UpstreamError) -> T
) -> UpstreamError? {
    do {
        let value = try body()
        Issue.record("expected an error, got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// `source version` of each build, for compact expectations.
func summary(_ selection: Selection?) -> [String] {
    (selection?.builds ?? []).map { "\($0.source) \($0.version)" }
}

func version(_ text: String) throws -> DebianVersion {
    try DebianVersion(text)
}

/// A pool path for `source_version_arch.buildinfo` in its proper directory.
func poolLine(_ source: String, _ version: String, _ architecture: String = "amd64") -> String {
    let prefix = source.hasPrefix("lib") ? String(source.prefix(4)) : String(source.prefix(1))
    return "/buildinfo-pool/\(prefix)/\(source)/\(source)_\(version)_\(architecture).buildinfo"
}
