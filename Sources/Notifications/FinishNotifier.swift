import Logging
import Spool

/// What the notifier does about one entry of `uploaded/` or `failed/` when it looks at it: finds
/// its finish; the first time, writes the summary and a delivery record; then tries each
/// receiver that is due, recording each attempt before and after it. All it decides is in the
/// records, so it may be stopped anywhere and the next run carries on.
struct FinishNotifier: Sendable {
    let options: NotifyOptions
    let logger: Logger

    enum Next: Equatable {
        /// Nothing is left to do about this finish, or the entry is not a finished task (nil: it is gone).
        case settled(Finish?)
        /// Look again then.
        case later(Double)
    }

    func look(at name: String, in directory: SpoolDirectory, sender: NotificationSender, now: () -> Double = Timestamp.now) -> Next {
        guard let finish = Finish.of(name, in: directory, spool: options.spool) else { return .settled(nil) }
        guard case .task(let entry) = EntryName.classify(Array(name.utf8)) else { return .settled(finish) }
        let id = entry.id
        // A quarantined entry is not a task; one failed under a generated name (failed-as) has no records of its own.
        if directory == .failed && options.spool.isQuarantined(id) { return .settled(finish) }
        do {
            guard let records = try options.spool.records(of: id, create: false) else { return .settled(finish) }
            var record = try records.deliveryRecord(of: finish) ?? firstSight(of: finish, records: records, now: now())
            try deliverDue(&record, finish: finish, records: records, sender: sender, now: now)
            return record.nextDue.map(Next.later) ?? .settled(finish)
        } catch let error as SpoolError where error.isNotPlainRecords {
            logger.warning("\(id) (\(finish.directory.rawValue)): not notified: \(error)")
            return .settled(finish)
        } catch {
            let retry = now() + options.policy.backoffSeconds
            logger.error("\(id) (\(finish.directory.rawValue)): \(error); looking again at \(Timestamp.format(retry))")
            return .later(retry)
        }
    }

    /// The summary and the delivery record of a finish seen for the first time; one that is
    /// older than max-age is recorded as skipped instead.
    private func firstSight(of finish: Finish, records: TaskRecords, now: Double) throws -> DeliveryRecord {
        let age = now - finish.time
        var record = DeliveryRecord(task: records.id.rawValue, finish: finish.key,
                                    deliveries: options.receivers.map { DeliveryRecord.Delivery(receiver: $0.description) })
        if age > options.maxAgeSeconds {
            for index in record.deliveries.indices {
                record.deliveries[index].state = .skipped
                record.deliveries[index].settled = Timestamp.format(now)
                record.deliveries[index].reason = "finished \(Int(age)) s before the notifier saw it, more than [notify] max-age"
            }
            try records.makeNotificationDirectory(of: finish)
            logger.notice("\(records.id) (\(finish.directory.rawValue)): finished \(Int(age)) s ago, more than [notify] max-age: not notified")
        } else {
            let summary = NotificationSummary(records: records, finish: finish, linksBase: options.linksBase)
            for problem in summary.unreadable ?? [] {
                logger.warning("\(records.id) (\(finish.directory.rawValue)): left out of the summary: \(problem)")
            }
            try records.writeNotificationSummary(summary.json(), of: finish)
        }
        try records.writeDeliveryRecord(record, of: finish)
        return record
    }

    /// Tries every receiver that is due, one after the other.
    private func deliverDue(_ record: inout DeliveryRecord, finish: Finish, records: TaskRecords, sender: NotificationSender,
                            now: () -> Double) throws {
        let configured = Dictionary(options.receivers.map { ($0.description, $0) }, uniquingKeysWith: { first, _ in first })
        let policy = options.policy
        let task = "\(records.id) (\(finish.directory.rawValue))"
        for index in record.deliveries.indices where record.deliveries[index].isDue(at: now()) {
            let name = record.deliveries[index].receiver
            guard let receiver = configured[name] else {
                record.deliveries[index].giveUp(reason: "no longer configured", now: now())
                try records.writeDeliveryRecord(record, of: finish)
                logger.warning("\(task): gave up on \(name): no longer configured")
                continue
            }
            guard record.deliveries[index].begin(policy: policy, now: now()) else {
                try records.writeDeliveryRecord(record, of: finish)
                logger.warning("\(task): gave up on \(name) after \(record.deliveries[index].attempts) attempts: \(record.deliveries[index].reason ?? "")")
                continue
            }
            try records.writeDeliveryRecord(record, of: finish)
            let outcome = sender.send(finish, of: records, to: receiver)
            record.deliveries[index].settle(outcome, policy: policy, now: now())
            try records.writeDeliveryRecord(record, of: finish)
            let delivery = record.deliveries[index]
            let attempt = "attempt \(delivery.attempts) of \(policy.maxAttempts)"
            switch delivery.state {
            case .sent: logger.info("\(task): sent to \(name) (\(attempt))")
            case .givenUp: logger.warning("\(task): gave up on \(name) after \(delivery.attempts) attempts: \(delivery.reason ?? "")")
            case .pending: logger.notice("\(task): \(name): \(attempt) failed: \(delivery.reason ?? ""); retrying at \(delivery.nextAttempt ?? "")")
            case .skipped: break
            }
        }
    }
}
