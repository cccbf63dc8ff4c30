import Spool

/// What the attest and report stages keep in `records/<ID>/`, read by the stages after them and
/// by the results pages.
public enum PublishingRecords {
    public static let attestation = "\(Stage.attest.recordsDirectory)/\(AttestationRecord.fileName)"
    /// Its mtime is when the task's files were in the published tree.
    public static let published = "\(Stage.report.recordsDirectory)/\(ReportRecordName.published)"
}

extension TaskRecords {
    public func attestation() throws -> AttestationRecord? {
        try AttestationRecord.decode(read(PublishingRecords.attestation, limit: 64 << 20))
    }

    public func writeAttestation(_ record: AttestationRecord) throws {
        try makeDirectory(Stage.attest.recordsDirectory)
        try replace(PublishingRecords.attestation, with: Array(record.json()))
    }

    public func publishedReport() throws -> ReportRecord? {
        try ReportRecord.decode(read(PublishingRecords.published))
    }

    public func writePublishedReport(_ record: ReportRecord) throws {
        try makeDirectory(Stage.report.recordsDirectory)
        try replace(PublishingRecords.published, with: Array(record.json()))
    }

    /// When the report stage had the task's files in the published tree, if it has.
    public var publishedAt: Double? { modificationTime(PublishingRecords.published) }
}
