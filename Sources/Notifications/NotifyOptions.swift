import RebuilderSettings
import Spool

/// Everything the notifier needs to know, gathered from [notify], [spool] and flags.
public struct NotifyOptions: Sendable {
    public var spool: Spool
    public var receivers: [Receiver]
    /// Attempts per receiver and the delay before the second (doubling, capped at an hour).
    public var policy: RetryPolicy
    public var timeoutSeconds: Double
    public var linksBase: String?
    public var maxAgeSeconds: Double
    public var concurrency: Int
    /// Seconds between rescans of `uploaded/` and `failed/`.
    public var rescanSeconds: Double
    /// false: no inotify, rescans alone.
    public var watch: Bool
    /// Look at every finish once (first attempts and retries already due), then exit.
    public var once: Bool

    public static let longestRetryDelay: Double = 3600

    public init(spool: Spool, receivers: [Receiver], policy: RetryPolicy, timeoutSeconds: Double, linksBase: String? = nil,
                maxAgeSeconds: Double = 7 * 24 * 3600, concurrency: Int = 2, rescanSeconds: Double = 30, watch: Bool = true, once: Bool = false) {
        self.spool = spool
        self.receivers = receivers
        self.policy = policy
        self.timeoutSeconds = timeoutSeconds
        self.linksBase = linksBase
        self.maxAgeSeconds = maxAgeSeconds
        self.concurrency = concurrency
        self.rescanSeconds = rescanSeconds
        self.watch = watch
        self.once = once
    }

    /// From [notify] and [spool].
    public init(configuration: RebuilderConfiguration, spool: Spool) {
        let notify = configuration.notify
        self.init(spool: spool, receivers: notify.urls.map(Receiver.url) + (notify.command.map { [Receiver.command($0)] } ?? []),
                  policy: RetryPolicy(maxAttempts: notify.attempts, backoffSeconds: notify.retryDelaySeconds,
                                      maxBackoffSeconds: Self.longestRetryDelay),
                  timeoutSeconds: notify.timeoutSeconds, linksBase: notify.linksBase, maxAgeSeconds: notify.maxAgeSeconds,
                  concurrency: notify.concurrency, rescanSeconds: configuration.spool.rescanSeconds, watch: configuration.spool.watch)
    }
}
