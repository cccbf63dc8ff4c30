import Foundation

/// What the attest stage published for a task: `records/<ID>/attest/attestation.json`. The report
/// stage lists these paths in the results; an operator reads why something was not attested.
public struct AttestationRecord: Codable, Sendable, Equatable {
    public struct Link: Codable, Sendable, Equatable {
        public var side: String
        public var keyid: String
        public var version: String
        /// Paths relative to the project's tree.
        public var architectureLink: String
        public var mergedLink: String
        /// apt local file name → sha256.
        public var products: [String: String]

        public init(side: String, keyid: String, version: String, architectureLink: String, mergedLink: String, products: [String: String]) {
            self.side = side
            self.keyid = keyid
            self.version = version
            self.architectureLink = architectureLink
            self.mergedLink = mergedLink
            self.products = products
        }
    }

    /// The build log the links were made after, as the log keeper's receipt names it.
    public struct KeptLog: Codable, Sendable, Equatable {
        /// Path in the keeper's repository.
        public var path: String
        public var commit: String
        public var sha256: String
        /// The receipt file the attest stage checked.
        public var receipt: String

        public init(path: String, commit: String, sha256: String, receipt: String) {
            self.path = path
            self.commit = commit
            self.sha256 = sha256
            self.receipt = receipt
        }
    }

    public var project: String
    public var links: [Link]
    /// Why something was not attested, one sentence each.
    public var notAttested: [String]
    public var keptLog: KeptLog?

    public init(project: String, links: [Link], notAttested: [String], keptLog: KeptLog? = nil) {
        self.project = project
        self.links = links
        self.notAttested = notAttested
        self.keptLog = keptLog
    }

    public static let fileName = "attestation.json"

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The record from its file's bytes, or nil when there is no file.
    public static func decode(_ bytes: [UInt8]?) throws -> AttestationRecord? {
        guard let bytes else { return nil }
        return try JSONDecoder().decode(AttestationRecord.self, from: Data(bytes))
    }
}
