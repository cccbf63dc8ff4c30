import Spool

/// Where the notifier keeps what it did about a task: `records/<ID>/notify/<finish>/`, one
/// directory per finish, holding the summary it sends and the record of its deliveries.
public enum NotificationRecords {
    public static let directory = "notify"

    public static func finishDirectory(_ finish: Finish) -> String { "\(directory)/\(finish.key)" }
    public static func summary(_ finish: Finish) -> String { "\(finishDirectory(finish))/summary.json" }
    public static func delivery(_ finish: Finish) -> String { "\(finishDirectory(finish))/delivery.json" }
}

extension TaskRecords {
    public func deliveryRecord(of finish: Finish) throws -> DeliveryRecord? {
        let name = NotificationRecords.delivery(finish)
        do {
            return try DeliveryRecord.decode(read(name))
        } catch let error as SpoolError {
            throw error
        } catch {
            throw SpoolError("decode", path: path(name), reason: "not a delivery record: \(error)")
        }
    }

    public func writeDeliveryRecord(_ record: DeliveryRecord, of finish: Finish) throws {
        try replace(NotificationRecords.delivery(finish), with: record.json())
    }

    /// Writes the summary the first time a finish is seen.
    public func writeNotificationSummary(_ bytes: [UInt8], of finish: Finish) throws {
        try makeNotificationDirectory(of: finish)
        try replace(NotificationRecords.summary(finish), with: bytes)
    }

    public func makeNotificationDirectory(of finish: Finish) throws {
        try makeDirectory(NotificationRecords.directory)
        try makeDirectory(NotificationRecords.finishDirectory(finish))
    }
}
