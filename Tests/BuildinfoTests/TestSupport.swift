import Buildinfo
import Testing

/// Parses `text` as `t.buildinfo` and expects exactly this error.
func expectBuildinfoError(
    _ text: String, line: Int?, field: String?, _ message: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectBuildinfoError(Array(text.utf8), line: line, field: field, message, sourceLocation: sourceLocation)
}

/// Parses `bytes` as `t.buildinfo` and expects exactly this error.
func expectBuildinfoError(
    _ bytes: [UInt8], line: Int?, field: String?, _ message: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let expected = BuildinfoError(path: "t.buildinfo", line: line, field: field, message: message)
    do {
        let info = try Buildinfo.parse(bytes, path: "t.buildinfo")
        Issue.record("expected \(expected), parsed \(info.source) \(info.version)", sourceLocation: sourceLocation)
    } catch {
        #expect(error == expected, sourceLocation: sourceLocation)
    }
}

/// Parses `text` as `t.buildinfo`, recording an issue if it fails.
func parseBuildinfo(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Buildinfo? {
    do {
        return try Buildinfo.parse(Array(text.utf8), path: "t.buildinfo")
    } catch {
        Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// `DebianVersion(text)` that must succeed.
func version(_ text: String) throws -> DebianVersion {
    try DebianVersion(text)
}

