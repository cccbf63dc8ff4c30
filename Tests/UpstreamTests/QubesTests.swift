import Buildinfo
import Testing
import Upstream

@Suite("Qubes OS: distribution names and repository listings")
struct QubesTests {
    /// tests/data/rsync_result.txt of the original PackageRebuilder: `rsync --list-only --recursive` output.
    static let rsyncResult = """
        -rw-rw-r--         11,392 2020/12/23 14:57:05 deb/r4.1/vm/pool/main/d/dnf/dnf_4.5.2-1+deb11u1_amd64.buildinfo
        -rw-r--r--         11,687 2021/05/18 04:12:09 deb/r4.1/vm/pool/main/q/qubes-artwork/qubes-artwork_4.1.10-1+deb11u1_amd64.buildinfo
        -rw-rw-r--         10,705 2020/01/17 05:51:06 deb/r4.1/vm/pool/main/q/qubes-core-agent/qubes-core-agent_4.1.7-1+deb11u1_amd64.buildinfo
        -rw-rw-r--          8,554 2020/10/10 06:06:02 deb/r4.1/vm/pool/main/q/qubes-core-qrexec/qubes-core-qrexec_4.1.9-1+deb11u1_amd64.buildinfo
        drwxrwxr-x         20,480 2021/08/19 16:38:11 deb/r4.1/vm/pool/main/q/qubes-desktop-linux-common
        -rw-rw-r--          7,518 2019/09/08 16:50:33 deb/r4.1/vm/pool/main/q/qubes-desktop-linux-common/qubes-desktop-linux-common_4.0.18-1+deb11u1_amd64.buildinfo
        """

    /// The file paths of the listing, as the original's get_rsync_files took them.
    static var rsyncPaths: [String] {
        rsyncResult.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            return fields.first?.hasPrefix("d") == true ? nil : fields.last.map(String.init)
        }
    }

    static let bullseye = try! QubesDistribution(parsing: "qubes-4.1-vm-bullseye")

    @Test("qubes-4.1-vm-bullseye")
    func distribution() throws {
        let qubes = try QubesDistribution(parsing: "qubes-4.1-vm-bullseye")
        #expect(qubes.release == "4.1")
        #expect(qubes.packageSet == "vm")
        #expect(qubes.distribution == "bullseye")
        #expect(try qubes.debianReleaseNumber == 11)
        #expect(qubes.repositoryPath == "deb/r4.1/vm")
        #expect(qubes.project == "qubesos/deb/r4.1/vm")
        #expect(qubes.family == .debian)
        #expect("\(qubes)" == "qubes-4.1-vm-bullseye")
        #expect(try QubesDistribution(parsing: "qubes-4.2-vm-bookworm").debianReleaseNumber == 12)
        #expect(try QubesDistribution(parsing: "qubes-4.0-vm-buster").debianReleaseNumber == 10)
        #expect(try QubesDistribution(parsing: "qubes-4.3-vm-trixie").debianReleaseNumber == 13)
    }

    @Test("Fedora distributions parse but have no Debian release number")
    func fedora() throws {
        let fc = try QubesDistribution(parsing: "qubes-4.1-vm-fc32")
        #expect(fc.family == .fedora)
        #expect(fc.repositoryPath == "yum/r4.1/vm/fc32")
        let dom0 = try QubesDistribution(parsing: "qubes-4.1-dom0-fedora-33")
        #expect(dom0.distribution == "fedora-33")
        #expect(dom0.packageSet == "dom0")
        let error = upstreamError { () throws(UpstreamError) in try fc.debianReleaseNumber }
        #expect(error?.reason == "'fc32' is not a Debian release")
        #expect(QubesRepository.candidates(paths: Self.rsyncPaths, distribution: fc, source: "r").builds.isEmpty)
    }

    @Test("other shapes are refused", arguments: [
        ("qubes-4.1-vm", "expected qubes-<release>-<package set>-<distribution>, like qubes-4.1-vm-bullseye"),
        ("qubes--vm-bullseye", "expected qubes-<release>-<package set>-<distribution>, like qubes-4.1-vm-bullseye"),
        ("qubes-4.1-vm-", "expected qubes-<release>-<package set>-<distribution>, like qubes-4.1-vm-bullseye"),
        ("bullseye", "not a Qubes OS distribution (no 'qubes-' prefix)"),
        ("qubes-r4.1-vm-bullseye", "release 'r4.1' is not a number like 4.1"),
        ("qubes-4.1-VM-bullseye", "package set 'VM' is not a name like vm or dom0"),
        ("qubes-4.1-vm-hamm", "unknown distribution 'hamm' (expected a Debian codename or fc<N>)"),
        ("qubes-4.1-vm-bullseye-backports", "unknown distribution 'bullseye-backports' (expected a Debian codename or fc<N>)"),
    ])
    func refused(_ name: String, _ reason: String) {
        let error = upstreamError { () throws(UpstreamError) in try QubesDistribution(parsing: name) }
        #expect(error == UpstreamError(source: name, reason: reason))
    }

    @Test("the original's rsync listing gives its five buildinfo files as candidates")
    func rsyncCandidates() throws {
        let selection = QubesRepository.candidates(paths: Self.rsyncPaths, distribution: Self.bullseye, source: "rsync://m/deb/")
        #expect(summary(selection) == [
            "dnf 4.5.2-1+deb11u1", "qubes-artwork 4.1.10-1+deb11u1", "qubes-core-agent 4.1.7-1+deb11u1",
            "qubes-core-qrexec 4.1.9-1+deb11u1", "qubes-desktop-linux-common 4.0.18-1+deb11u1",
        ])
        #expect(selection.rejected.isEmpty)
        #expect(selection.entriesRead == 5)
        let agent = try #require(selection.builds.first { $0.source == "qubes-core-agent" })
        #expect(agent == UpstreamBuild(
            source: "qubes-core-agent", version: try version("4.1.7-1+deb11u1"), architecture: "amd64",
            fileName: "qubes-core-agent_4.1.7-1+deb11u1_amd64.buildinfo",
            path: "pool/main/q/qubes-core-agent/qubes-core-agent_4.1.7-1+deb11u1_amd64.buildinfo"))
    }

    @Test("only the release's +debNu builds, the latest per source; other files skipped; bad paths rejected")
    func selection() throws {
        let paths = [
            "pool/main/q/qubes-core-agent/qubes-core-agent_4.1.7-1+deb11u1_amd64.buildinfo",
            "pool/main/q/qubes-core-agent/qubes-core-agent_4.1.10-1+deb11u1_amd64.buildinfo",
            "pool/main/q/qubes-core-agent/qubes-core-agent_4.1.9-1+deb11u1_amd64.buildinfo",
            "pool/main/q/qubes-core-agent/qubes-core-agent_4.2.1-1+deb12u1_amd64.buildinfo",
            "pool/main/q/qubes-core-agent/qubes-core-agent_4.1.10-1+deb11u1_amd64.deb",
            "pool/main/q/qubes-core-agent/qubes-core-agent_4.1.10-1+deb11u1.dsc",
            "pool/main/q/qubes-gui-agent/qubes-gui-agent_4.1.5-1+deb10u1_amd64.buildinfo",
            "pool/main/q/qubes-gui-agent/../../../../etc/qubes-gui-agent_4.1.5-1+deb11u1_amd64.buildinfo",
            "pool/main/x/qubes-gui-agent/qubes-gui-agent_4.1.5-1+deb11u1_amd64.buildinfo",
            "/pool/main/q/qubes-gui-agent/qubes-gui-agent_4.1.5-1+deb11u1_amd64.buildinfo",
            "pool/main/q/qubes-gui-agent/qubes-gui-agent_4.1.5-1%2Bdeb11u1_amd64.buildinfo",
            "dists/bullseye/Release",
        ]
        let selection = QubesRepository.candidates(paths: paths, distribution: Self.bullseye, source: "r")
        #expect(summary(selection) == ["qubes-core-agent 4.1.10-1+deb11u1"])
        #expect(selection.rejected.map(\.line) == [8, 9, 10, 11])
        #expect(selection.rejected.map(\.reason) == [
            "'..' in path", "directory does not match the source (expected …/q/qubes-gui-agent/)",
            "absolute path where a relative one was expected", "percent escape in path",
        ])
        #expect(selection.entriesRead == paths.count)
    }

    @Test("the build's architecture comes from its buildinfo's Architecture field", arguments: [
        (["amd64", "source"], "amd64", "amd64"),
        (["all", "amd64", "source"], "amd64", "amd64"),
        (["all", "source"], "amd64", "all"),
        (["all", "source"], "all", "all"),
        (["all"], "all", "all"),
        (["amd64"], "all", "amd64"),
        (["arm64", "all"], "arm64", "arm64"),
        (["source"], "amd64", nil),
        ([], "amd64", nil),
    ] as [([String], String, String?)])
    func buildArchitecture(_ architectures: [String], _ requested: String, _ expected: String?) {
        #expect(QubesRepository.buildArchitecture(architectures: architectures, requested: requested) == expected)
    }
}
