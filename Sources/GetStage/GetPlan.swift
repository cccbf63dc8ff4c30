import RebuilderSettings
import Fetching
import Spool

/// The specs to follow and the limits to follow them with, from rebuilder.conf.
public struct GetPlan: Sendable {
    public var configuration: RebuilderConfiguration
    public var targets: [GetTarget] = []
    /// Spec → its distribution's schedule_get in seconds.
    var schedules: [String: Double] = [:]

    /// A requested spec that is configured keeps its config line; one that is not is taken as
    /// the original's `get(dist)` took it, with its distribution section's settings.
    public init(configuration: RebuilderConfiguration, requested: [String]) throws(GetPlanError) {
        self.configuration = configuration
        var specs: [ConfiguredSpec] = []
        if requested.isEmpty {
            specs = configuration.configuredSpecs
        } else {
            for raw in requested {
                if let configured = configuration.configuredSpecs.first(where: { $0.spec.raw == raw }) {
                    specs.append(configured)
                } else if let spec = DistributionSpec(parsing: raw) {
                    specs.append(ConfiguredSpec(distribution: GetTarget.section(ofSuite: spec.suite), spec: spec, location: "--dist"))
                } else {
                    throw GetPlanError(description: "get: bad distribution spec '\(raw)': expected {suite}+{package set}+...+{package set}.{arch}",
                                       isBadSpec: true)
                }
            }
        }
        for configured in specs {
            let settings = configuration.distributionOrCommon(configured.distribution)
            do {
                targets.append(try GetTarget(configured, settings: settings))
            } catch {
                throw GetPlanError(description: "\(error)", isBadSpec: false)
            }
            schedules[configured.spec.raw] = settings.scheduleGetSeconds ?? 1800
        }
    }

    /// Targets whose last complete listing (the time their expected list was written) is older
    /// than their schedule_get.
    public func due(spool: Spool, now: Double) -> [GetTarget] {
        targets.filter { target in
            guard let last = spool.expectedModificationTime(group: target.spec.raw) else { return true }
            return now - last >= schedules[target.spec.raw, default: 1800]
        }
    }

    public func settings(forceRetry: Bool) -> Getter.Settings {
        let get = configuration.settings(for: .get).get
        let listing = FetchLimits(connectTimeout: get.connectTimeoutSeconds, timeout: get.downloadTimeoutSeconds,
                                  maximumBytes: get.maxListingBytes, maximumRedirects: get.maxRedirects)
        var buildinfo = listing
        buildinfo.maximumBytes = configuration.spool.maxTaskBytes
        return Getter.Settings(listingLimits: listing, buildinfoLimits: buildinfo, unpublishedDelay: get.unpublishedDelaySeconds,
                               unpublishedMaximumDelay: get.unpublishedMaxDelaySeconds, forceRetry: forceRetry)
    }
}

/// A spec that cannot be read (`isBadSpec`: a usage error) or followed (a configuration error).
public struct GetPlanError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public var isBadSpec: Bool
}
