import Foundation

/// What the report stage published for a task: `records/<ID>/report/published.json`. Its
/// modification time is when the task's files were in the tree, which the upload stage compares
/// with the start of its last complete upload.
public struct ReportRecord: Codable, Sendable, Equatable {
    /// Paths relative to the project's tree.
    public var log: String?
    public var buildinfo: String?
    public var diffoscope: [String]

    public init(log: String?, buildinfo: String?, diffoscope: [String]) {
        self.log = log
        self.buildinfo = buildinfo
        self.diffoscope = diffoscope
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The record from its file's bytes, or nil when there is no file.
    public static func decode(_ bytes: [UInt8]?) throws -> ReportRecord? {
        guard let bytes else { return nil }
        return try JSONDecoder().decode(ReportRecord.self, from: Data(bytes))
    }
}

/// Where the report stage keeps its record of a task, inside `records/<ID>/`.
public enum ReportRecordName {
    public static let published = "published.json"
}
