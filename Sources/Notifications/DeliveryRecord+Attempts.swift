import Spool

/// How one attempt at one receiver ended.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered
    case failed(reason: String)
}

extension DeliveryRecord.Delivery {
    /// Due for an attempt at `now`.
    public func isDue(at now: Double) -> Bool {
        state == .pending && (nextAttempt.flatMap(Timestamp.parse) ?? 0) <= now
    }

    /// Counts the attempt about to be made; false (and given up) when none is left, which
    /// happens when the last one was begun by a notifier that stopped before it could record how
    /// it ended.
    public mutating func begin(policy: RetryPolicy, now: Double) -> Bool {
        guard attempts < policy.maxAttempts else {
            giveUp(reason: "its last attempt was cut short (the notifier stopped while sending); the one before: \(reason ?? "none")", now: now)
            return false
        }
        attempts += 1
        return true
    }

    /// Records how the attempt just begun ended: sent; or failed, with the next attempt after the
    /// policy's delay (doubling per attempt), or given up after the policy's last attempt.
    public mutating func settle(_ outcome: DeliveryOutcome, policy: RetryPolicy, now: Double) {
        switch outcome {
        case .delivered:
            state = .sent
            settled = Timestamp.format(now)
            nextAttempt = nil
            reason = nil
        case .failed(let why) where attempts >= policy.maxAttempts:
            giveUp(reason: why, now: now)
        case .failed(let why):
            reason = why
            nextAttempt = Timestamp.format(now + policy.delay(afterFailedAttempts: attempts))
        }
    }

    public mutating func giveUp(reason why: String, now: Double) {
        state = .givenUp
        settled = Timestamp.format(now)
        nextAttempt = nil
        reason = why
    }
}
