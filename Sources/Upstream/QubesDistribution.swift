/// A Qubes OS distribution name, `qubes-<release>-<package set>-<distribution>`:
/// `qubes-4.1-vm-bullseye` is the Debian 11 template packages of Qubes OS 4.1.
public struct QubesDistribution: Sendable, Hashable, CustomStringConvertible {
    /// `4.1`
    public var release: String
    /// `vm` or `dom0`
    public var packageSet: String
    /// `bullseye`, `fc32`, `fedora-33`
    public var distribution: String

    public enum Family: Sendable, Hashable {
        case debian
        case fedora
    }

    /// Splits `name` as the original did (`qubes-` removed, then at most three `-`-separated
    /// parts, the last one keeping its hyphens), with checks the original lacked: a numeric
    /// release, a plain package set, and a distribution that is a known Debian codename or
    /// Fedora (`fc<N>`, `fedora-<N>`).
    public init(parsing name: String) throws(UpstreamError) {
        func fail(_ reason: String) -> UpstreamError {
            UpstreamError(source: name, reason: reason)
        }
        guard name.hasPrefix("qubes-") else { throw fail("not a Qubes OS distribution (no 'qubes-' prefix)") }
        let parts = name.dropFirst("qubes-".count).split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw fail("expected qubes-<release>-<package set>-<distribution>, like qubes-4.1-vm-bullseye")
        }
        let release = String(parts[0])
        let packageSet = String(parts[1])
        let distribution = String(parts[2])
        guard release.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") }),
            release.utf8.first != UInt8(ascii: "."), release.utf8.last != UInt8(ascii: ".")
        else { throw fail("release '\(Printable.escaped(release))' is not a number like 4.1") }
        guard packageSet.utf8.allSatisfy(ByteText.isLowerAlnum) else {
            throw fail("package set '\(Printable.escaped(packageSet))' is not a name like vm or dom0")
        }
        self.release = release
        self.packageSet = packageSet
        self.distribution = distribution
        guard family != nil else {
            throw fail("unknown distribution '\(Printable.escaped(distribution))' (expected a Debian codename or fc<N>)")
        }
    }

    /// Debian or Fedora, as the original's `is_debian` / `is_fedora` tell (nil: neither).
    public var family: Family? {
        if DebianReleases.numbers[distribution] != nil { return .debian }
        if UpstreamDistribution.isFedora(distribution) { return .fedora }
        return nil
    }

    /// Debian's release number (bullseye 11): Qubes OS versions its Debian builds `+deb11u1`.
    /// Throws for Fedora distributions.
    public var debianReleaseNumber: Int {
        get throws(UpstreamError) {
            guard let number = DebianReleases.numbers[distribution] else {
                throw UpstreamError(source: description, reason: "'\(distribution)' is not a Debian release")
            }
            return number
        }
    }

    /// The repository directory under the Qubes OS mirror: `deb/r4.1/vm` for Debian,
    /// `yum/r4.1/<set>/<dist>` for Fedora.
    public var repositoryPath: String {
        switch family {
        case .fedora: "yum/r\(release)/\(packageSet)/\(distribution)"
        default: "deb/r\(release)/\(packageSet)"
        }
    }

    /// Where its results are published: `qubesos/deb/r4.1/vm`.
    public var project: String { "qubesos/" + repositoryPath }

    /// `qubes-4.1-vm-bullseye`
    public var description: String { "qubes-\(release)-\(packageSet)-\(distribution)" }
}
