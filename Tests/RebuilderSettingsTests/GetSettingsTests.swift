import Testing
@testable import RebuilderSettings

/// What the get stage reads: distribution specs with their lines, upstream URLs, download limits.
@Suite struct GetSettingsTests {
    @Test func specsKeepTheirOwnLineWithinAMultiLineDist() throws {
        let text = """
            [debian]
            dist = unstable+essential+required+build-essential+build-essential-depends+full.amd64
                bookworm.all

            [qubesos]
            dist = qubes-4.1-vm-bullseye.amd64
            """
        let configuration = try RebuilderConfiguration.parse(text: text, path: "r.conf")
        #expect(configuration.configuredSpecs.map(\.location) == ["r.conf:2", "r.conf:3", "r.conf:6"])
        #expect(configuration.configuredSpecs.map(\.distribution) == ["debian", "debian", "qubesos"])
        #expect(configuration.configuredSpecs[0].spec.packageSets
                    == ["essential", "required", "build-essential", "build-essential-depends", "full"])
    }

    @Test(arguments: [
        ("[debian]\ndist = bookworm.amd64\n    bookworm+.all\n", 3, "bookworm+.all"),
        ("[qubesos]\ndist = qubes-4.1-vm-bullseye.amd64\n# comment\n\n    bookworm\n", 5, "bookworm"),
        ("[debian]\ndist = bookworm.AMD64\n", 2, "bookworm.AMD64"),
    ])
    func aBadSpecIsReportedOnItsLine(text: String, line: Int, spec: String) {
        let error = parseError(text, path: "r.conf")
        #expect(error?.line == line)
        #expect(error?.message.contains("bad distribution spec '\(spec)'") == true)
    }

    @Test func upstreamKeysAreAcceptedInCommonAndDistributionSections() throws {
        let text = """
            [common]
            buildinfos-baseurl = http://127.0.0.1:8000/
            [debian]
            package-sets-baseurl = https://jenkins.debian.net/userContent/reproducible/debian/pkg-sets
            archive-mirror = http://deb.debian.org/debian
            [qubesos]
            buildinfos-rsync-baseurl = rsync://ftp.qubes-os.org/qubes-mirror/repo
            """
        let configuration = try RebuilderConfiguration.parse(text: text, path: "r.conf")
        #expect(configuration.distributionSettings(for: "debian")?["buildinfos-baseurl"] == "http://127.0.0.1:8000/")
        #expect(configuration.distributionSettings(for: "qubesos")?["buildinfos-rsync-baseurl"]
                    == "rsync://ftp.qubes-os.org/qubes-mirror/repo")
    }

    @Test(arguments: [
        "[debian]\nbuildinfos-baseurl = ftp://example.org\n",
        "[debian]\narchive-mirror = deb.debian.org/debian\n",
        "[qubesos]\nbuildinfos-rsync-baseurl = https://ftp.qubes-os.org\n",
        "[debian]\npackage-sets-baseurl = http://\n",
    ])
    func aBadURLNamesItsKey(text: String) {
        let error = parseError(text, path: "r.conf")
        #expect(error?.line == 2)
        #expect(error?.message.contains("expected a URL starting with") == true)
    }

    @Test func downloadLimitsAreReadFromStageGet() throws {
        let text = """
            [stage.get]
            connect-timeout = 5
            download-timeout = 60
            max-listing-size = 64M
            max-redirects = 0
            unpublished-delay = 600
            unpublished-max-delay = 7200
            """
        let get = try RebuilderConfiguration.parse(text: text, path: "r.conf").stages["get"]?.get
        #expect(get?.connectTimeoutSeconds == 5)
        #expect(get?.downloadTimeoutSeconds == 60)
        #expect(get?.maxListingBytes == 64 << 20)
        #expect(get?.maxRedirects == 0)
        #expect(get?.unpublishedDelaySeconds == 600)
        #expect(get?.unpublishedMaxDelaySeconds == 7200)
    }

    @Test func getKeysBelongInStageGetOnly() {
        let error = parseError("[stage.build]\nmax-redirects = 3\n", path: "r.conf")
        #expect(error?.message == "'max-redirects' belongs in [stage.get], not [stage.build]")
    }
}
