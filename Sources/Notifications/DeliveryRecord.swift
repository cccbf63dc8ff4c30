import Foundation
import Spool

/// What became of the notification of one finish, receiver by receiver:
/// `records/<ID>/notify/<finish>/delivery.json`. It is replaced before each attempt (the attempt
/// is counted, so a notifier that dies while sending has used it) and after it (sent, the next
/// attempt's time, or given up), so a restart resumes where the last run was.
public struct DeliveryRecord: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        /// Attempts are left; the next is due at `nextAttempt`.
        case pending
        case sent
        /// Its attempts ran out, or the receiver left the configuration: never tried again.
        case givenUp = "given-up"
        /// The task had finished more than `[notify] max-age` before the notifier saw it: never sent.
        case skipped
    }

    public struct Delivery: Codable, Sendable, Equatable {
        /// The receiver's name (`Receiver.description`).
        public var receiver: String
        public var state: State
        /// Attempts begun.
        public var attempts: Int
        /// When the next attempt is due, while pending.
        public var nextAttempt: String?
        /// When it was sent, given up or skipped.
        public var settled: String?
        /// Why the last attempt failed, or why it was given up or skipped.
        public var reason: String?

        public init(receiver: String, state: State = .pending, attempts: Int = 0, nextAttempt: String? = nil,
                    settled: String? = nil, reason: String? = nil) {
            self.receiver = receiver
            self.state = state
            self.attempts = attempts
            self.nextAttempt = nextAttempt
            self.settled = settled
            self.reason = reason
        }
    }

    public var task: String
    /// The finish's key (`Finish.key`).
    public var finish: String
    /// One per receiver configured when the finish was first seen; receivers configured later
    /// are not added (a new URL is not sent every old task).
    public var deliveries: [Delivery]

    public init(task: String, finish: String, deliveries: [Delivery]) {
        self.task = task
        self.finish = finish
        self.deliveries = deliveries
    }

    /// Nothing is left to try.
    public var isSettled: Bool { deliveries.allSatisfy { $0.state != .pending } }

    /// When the earliest pending delivery is due; nil when all are settled.
    public var nextDue: Double? {
        deliveries.filter { $0.state == .pending }.map { $0.nextAttempt.flatMap(Timestamp.parse) ?? 0 }.min()
    }

    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    /// The record from its file's bytes, or nil when there is no file.
    public static func decode(_ bytes: [UInt8]?) throws -> DeliveryRecord? {
        guard let bytes else { return nil }
        return try JSONDecoder().decode(DeliveryRecord.self, from: Data(bytes))
    }
}
