import RebuilderSettings
import Upstream

/// One configured distribution spec made ready to follow: what kind of repository it is, where
/// that repository is, and where the spec was written (for every message about it).
public struct GetTarget: Sendable {
    public let configured: ConfiguredSpec
    public let upstream: UpstreamDistribution
    public let location: UpstreamLocation

    public var spec: DistributionSpec { configured.spec }
    /// The published subtree its tasks go to, e.g. "debian" or "qubesos/deb/r4.1/vm".
    public var project: String { upstream.project }

    /// Throws `GetError` naming the config line when the suite is not one we can follow, or
    /// the distribution section does not match it (a Qubes spec under [debian], say).
    public init(_ configured: ConfiguredSpec, settings: DistributionSettings) throws(GetError) {
        let upstream: UpstreamDistribution
        do {
            upstream = try UpstreamDistribution(suite: configured.spec.suite)
        } catch {
            throw GetError(subject: configured.location, reason: "'\(configured.spec.raw)' in [\(configured.distribution)]: \(error.reason)")
        }
        guard upstream.section == configured.distribution else {
            throw GetError(subject: configured.location,
                           reason: "'\(configured.spec.raw)' is a \(upstream.section) spec, but it is in [\(configured.distribution)]")
        }
        self.configured = configured
        self.upstream = upstream
        self.location = UpstreamLocation(settings: settings, upstream: upstream)
    }
}

extension GetTarget {
    /// The section whose settings apply to a suite given outside the configuration; a suite we
    /// cannot tell is taken as Debian's, and `init` then says what is wrong with it.
    public static func section(ofSuite suite: String) -> String {
        if let known = try? UpstreamDistribution(suite: suite) { return known.section }
        // As the original told them apart (is_qubes, is_fedora), so the error names the right section.
        if suite.hasPrefix("qubes") { return "qubesos" }
        if suite.hasPrefix("fedora") || suite.hasPrefix("fc") { return "fedora" }
        return "debian"
    }

}

extension UpstreamDistribution {
    /// The rebuilder.conf section a suite belongs in, as the original sorted them.
    var section: String {
        switch self {
        case .debian: "debian"
        case .qubes: "qubesos"
        case .fedora: "fedora"
        }
    }
}
