import Foundation

/// The build stage's result for a task: `records/<ID>/build/result.json`, and the same comparison
/// in the layout of debrebuild's `summary.out` beside it, for continuity with existing tooling.
public struct RebuildRecord: Codable, Sendable, Equatable {
    public var task: String
    public var source: String
    public var version: String
    public var verdict: Verdict
    public var backend: String
    public var attempt: Int
    public var started: String
    public var durationSeconds: Double
    /// How the backend ended: "exit 0", "exit 2", "killed by signal 9", "timed out".
    public var backendExit: String
    public var logTruncated: Bool
    public var artifacts: [ArtifactResult]
    /// Artifact name → diffoscope report file (relative to the record directory).
    public var diffoscope: [String: String]
    /// Fingerprint and user id of the key that signed the buildinfo, when signatures are checked.
    public var signer: String?

    public init(task: String, source: String, version: String, verdict: Verdict, backend: String, attempt: Int,
                started: String, durationSeconds: Double, backendExit: String, logTruncated: Bool,
                artifacts: [ArtifactResult], diffoscope: [String: String] = [:], signer: String? = nil) {
        self.task = task
        self.source = source
        self.version = version
        self.verdict = verdict
        self.backend = backend
        self.attempt = attempt
        self.started = started
        self.durationSeconds = durationSeconds
        self.backendExit = backendExit
        self.logTruncated = logTruncated
        self.artifacts = artifacts
        self.diffoscope = diffoscope
        self.signer = signer
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// `{"sha256": {"FILE": {"sha256": {"old": …, "new": …}, "size": {"old": …, "new": …}}}}`
    /// for every artifact that differs, as debrebuild writes it.
    public func summaryOut() throws -> Data {
        struct Pair<Value: Encodable>: Encodable { var old: Value; var new: Value? }
        struct Entry: Encodable { var sha256: Pair<String>; var size: Pair<Int> }
        var differing: [String: Entry] = [:]
        for artifact in artifacts where !artifact.matches {
            differing[artifact.name] = Entry(sha256: Pair(old: artifact.expectedSHA256, new: artifact.rebuiltSHA256),
                                             size: Pair(old: artifact.expectedSize, new: artifact.rebuiltSize))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(["sha256": differing])
    }
}

extension RebuildRecord {
    public static let fileName = "result.json"
    /// The largest record file read back (the artifacts per task are capped well below this).
    public static let sizeLimit = 64 << 20

    /// The record from its file's bytes, or nil when there is no file.
    public static func decode(_ bytes: [UInt8]?) throws -> RebuildRecord? {
        guard let bytes else { return nil }
        return try JSONDecoder().decode(RebuildRecord.self, from: Data(bytes))
    }
}
