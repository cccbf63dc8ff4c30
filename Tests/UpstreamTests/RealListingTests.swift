import Buildinfo
import Testing
import Upstream

@Suite("BuildinfoPool on buildinfos.debian.net's real unstable amd64 listing")
struct RealListingTests {
    static let listing = SharedFixture.bytes("buildinfo-pool_unstable_amd64.list")

    @Test("unstable+test.amd64 gives the original's expected builds")
    func originalExpectation() throws {
        let selection = try BuildinfoPool.latest(
            listing: Self.listing, architecture: "amd64", source: "buildinfo-pool_unstable_amd64.list")
        let names = try PackageSet.names(in: SharedFixture.bytes("test.pkgset"), source: "test.pkgset")
        #expect(names == ["apt", "bash", "coreutils", "shadow", "util-linux"])

        let chosen = selection.builds.filter { names.contains($0.source) }
        #expect(summary(Selection(builds: chosen, rejected: [], entriesRead: 0)) == [
            "apt 2.3.9", "bash 5.1-2+b3", "coreutils 8.32-4+b1", "shadow 4.8.1-1", "util-linux 2.37.2-3",
        ])
        let bash = try #require(chosen.first { $0.source == "bash" })
        #expect(bash == UpstreamBuild(
            source: "bash", version: try version("5.1-2+b3"), architecture: "amd64",
            fileName: "bash_5.1-2+b3_amd64.buildinfo",
            path: "/buildinfo-pool/b/bash/bash_5.1-2+b3_amd64.buildinfo"))
    }

    @Test("the whole listing: every line read, none rejected, one build per source, sorted")
    func wholeListing() throws {
        let selection = try BuildinfoPool.latest(listing: Self.listing, architecture: "amd64", source: "l")
        #expect(selection.entriesRead == 13_421)
        #expect(selection.rejected.isEmpty)
        let sources = selection.builds.map(\.source)
        #expect(Set(sources).count == sources.count)
        #expect(sources == sources.sorted())
        #expect(selection.builds.count == 13_333)
        #expect(selection.builds.allSatisfy { $0.architecture == "amd64" && $0.path.hasSuffix("/" + $0.fileName) })
        // Sources listed with several versions, in no particular order (checked with dpkg --compare-versions):
        // string order would take protobuf 3.6.1.3-2+b3 and ldc 1.21.0-1+b1.
        let chosen = Dictionary(uniqueKeysWithValues: selection.builds.map { ($0.source, "\($0.version)") })
        #expect(chosen["ldc"] == "1.24.0-2")
        #expect(chosen["protobuf"] == "3.12.4-1")
        #expect(chosen["petsc"] == "3.14.5+dfsg1-4")
        #expect(chosen["0ad"] == "0.0.25b-1")
    }

    @Test("no amd64 build is chosen when all is asked for")
    func otherArchitecture() throws {
        let selection = try BuildinfoPool.latest(listing: Self.listing, architecture: "all", source: "l")
        #expect(selection.builds.isEmpty)
        #expect(selection.rejected.isEmpty)
        #expect(selection.entriesRead == 13_421)
    }
}
