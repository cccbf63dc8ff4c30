import RebuilderSettings
import Spool

/// Everything one stage daemon needs to know, gathered from configuration and flags.
public struct StageOptions: Sendable {
    public var route: StageRoute
    public var spool: Spool
    public var work: any StageWork
    public var concurrency: Int
    public var limits: ClaimLimits
    /// Seconds between rescans of the inbox and recovery sweeps of the working directory.
    public var rescanSeconds: Double
    /// false: no inotify, rescans alone drive the stage (a spool on NFS shared between hosts).
    public var watch: Bool
    public var fsync: Bool
    /// Drain what is due now and exit.
    public var once: Bool

    public init(route: StageRoute, spool: Spool, work: any StageWork, concurrency: Int = 1, limits: ClaimLimits = ClaimLimits(),
                rescanSeconds: Double = 30, watch: Bool = true, fsync: Bool = true, once: Bool = false) {
        self.route = route
        self.spool = spool
        self.work = work
        self.concurrency = concurrency
        self.limits = limits
        self.rescanSeconds = rescanSeconds
        self.watch = watch
        self.fsync = fsync
        self.once = once
    }
}

extension StageOptions {
    /// From [spool] and the stage's own section.
    public init(route: StageRoute, spool: Spool, work: any StageWork, configuration: RebuilderConfiguration) {
        self.init(route: route, spool: spool, work: work, concurrency: configuration.settings(for: route.stage).concurrency,
                  limits: ClaimLimits(maxTaskBytes: configuration.spool.maxTaskBytes, settleSeconds: configuration.spool.settleSeconds),
                  rescanSeconds: configuration.spool.rescanSeconds, watch: configuration.spool.watch, fsync: configuration.spool.fsync)
    }
}
