/// Which kind of upstream a suite name means, as the original's `is_qubes`, `is_fedora` and
/// `is_debian` told them apart: it decides where builds are listed and where results go.
public enum UpstreamDistribution: Sendable, Hashable {
    /// `bookworm`, `sid`, `unstable`, `bookworm-backports` …
    case debian(suite: String)
    /// `qubes-4.1-vm-bullseye`
    case qubes(QubesDistribution)
    /// `fedora-33`, `fc32`
    case fedora(String)

    /// Qubes OS for `qubes-…`, Fedora for `fedora-<N>` and `fc<N>`, Debian for its known suite
    /// names; anything else throws.
    public init(suite: String) throws(UpstreamError) {
        if suite.hasPrefix("qubes-") {
            self = .qubes(try QubesDistribution(parsing: suite))
        } else if Self.isFedora(suite) {
            self = .fedora(suite)
        } else if DebianReleases.isSuite(suite) {
            self = .debian(suite: suite)
        } else {
            throw UpstreamError(
                source: suite,
                reason: "unknown distribution '\(Printable.escaped(suite))' (expected a Debian suite, qubes-… or fedora-…)")
        }
    }

    /// The published subtree: `debian`, `qubesos/deb/r4.1/vm`, `fedora`.
    public var project: String {
        switch self {
        case .debian: "debian"
        case .qubes(let qubes): qubes.project
        case .fedora: "fedora"
        }
    }

    /// `fedora-<digits>` or `fc<digits>`.
    static func isFedora(_ name: String) -> Bool {
        for prefix in ["fedora-", "fc"] where name.hasPrefix(prefix) {
            let number = name.dropFirst(prefix.count)
            return !number.isEmpty && number.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        }
        return false
    }
}
