import Testing
import Upstream

@Suite("UpstreamDistribution: which upstream a suite name means")
struct UpstreamDistributionTests {
    @Test("Debian suites", arguments: [
        "buster", "bullseye", "bookworm", "trixie", "forky", "sid", "unstable", "experimental", "testing", "stable",
        "oldstable", "bookworm-backports", "stable-proposed-updates", "trixie-security",
    ])
    func debian(_ suite: String) throws {
        #expect(try UpstreamDistribution(suite: suite) == .debian(suite: suite))
        #expect(try UpstreamDistribution(suite: suite).project == "debian")
    }

    @Test("Qubes OS and Fedora")
    func others() throws {
        let qubes = try UpstreamDistribution(suite: "qubes-4.1-vm-bullseye")
        #expect(qubes == .qubes(try QubesDistribution(parsing: "qubes-4.1-vm-bullseye")))
        #expect(qubes.project == "qubesos/deb/r4.1/vm")
        #expect(try UpstreamDistribution(suite: "qubes-4.2-vm-bookworm").project == "qubesos/deb/r4.2/vm")
        #expect(try UpstreamDistribution(suite: "fedora-33") == .fedora("fedora-33"))
        #expect(try UpstreamDistribution(suite: "fc32") == .fedora("fc32"))
        #expect(try UpstreamDistribution(suite: "fc32").project == "fedora")
    }

    @Test("anything else is refused", arguments: [
        ("toto", "unknown distribution 'toto' (expected a Debian suite, qubes-… or fedora-…)"),
        ("", "unknown distribution '' (expected a Debian suite, qubes-… or fedora-…)"),
        ("fcx", "unknown distribution 'fcx' (expected a Debian suite, qubes-… or fedora-…)"),
        ("Bookworm", "unknown distribution 'Bookworm' (expected a Debian suite, qubes-… or fedora-…)"),
        ("sid-backports", "unknown distribution 'sid-backports' (expected a Debian suite, qubes-… or fedora-…)"),
        ("qubes-4.1-vm", "expected qubes-<release>-<package set>-<distribution>, like qubes-4.1-vm-bullseye"),
    ])
    func refused(_ suite: String, _ reason: String) {
        let error = upstreamError { () throws(UpstreamError) in try UpstreamDistribution(suite: suite) }
        #expect(error == UpstreamError(source: suite, reason: reason))
    }
}
