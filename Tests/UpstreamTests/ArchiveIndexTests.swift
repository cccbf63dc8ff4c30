import Buildinfo
import Testing
import Upstream

@Suite("ArchiveIndex: builds from a mirror's Sources and Packages, as rebuilderd finds them")
struct ArchiveIndexTests {
    static let sources = """
        Package: bash
        Binary: bash, bash-static, bash-doc
        Version: 5.1-3
        Architecture: any all
        Files:
         0123 456 bash_5.1-3.dsc
        Directory: pool/main/b/bash

        Package: bash
        Binary: bash
        Version: 5.0-4
        Architecture: any

        Package: mariadb-10.5
        Binary: mariadb-server, mariadb-common, libmariadb3
        Version: 1:10.5.12-1
        Architecture: any all

        Package: acl
        Version: 2.3.2-2
        Architecture: any

        Package: rust-sniffglue
        Version: 0.14.0-2
        Architecture: any

        Package: libfoo
        Version: 2.0-1
        Architecture: any

        Package: tzdata
        Version: 2024a-1
        Architecture: all

        """

    static let packages = """
        Package: bash
        Version: 5.1-3+b1
        Source: bash (5.1-3)
        Architecture: amd64
        Description: GNU Bourne Again SHell
         Bash is an sh-compatible command language interpreter.
         .
         A continuation line: Version: 9.9-9

        Package: bash-static
        Source: bash (5.1-3)
        Version: 5.1-3+b1
        Architecture: amd64

        Package: bash-doc
        Source: bash
        Version: 5.1-3
        Architecture: all

        Package: mariadb-server
        Source: mariadb-10.5
        Version: 1:10.5.12-1
        Architecture: all

        Package: libmariadb3
        Source: mariadb-10.5
        Version: 1:10.5.12-1
        Architecture: amd64

        Package: acl
        Source: acl (2.3.2-2)
        Version: 2.3.2-2+b1
        Architecture: amd64

        Package: libacl1
        Source: acl (2.3.2-2)
        Version: 2.3.2-2+b1
        Architecture: amd64

        Package: sniffglue
        Source: rust-sniffglue
        Version: 0.14.0-2
        Architecture: amd64

        Package: libfoo2
        Source: libfoo (2.0-1)
        Version: 2.0-1+b2
        Architecture: amd64

        Package: libfoo2
        Source: libfoo (2.0-1)
        Version: 2.0-1+b3
        Architecture: amd64

        Package: orphan
        Version: 1.0-1
        Architecture: amd64

        Package: tzdata
        Version: 2024a-1
        Architecture: all

        Package: hello
        Version: 2.10-3
        Architecture: arm64

        """

    static func select(
        _ sources: String = sources, _ packages: String = packages, architecture: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Selection? {
        do {
            return try ArchiveIndex.builds(
                sources: Array(sources.utf8), packages: Array(packages.utf8), architecture: architecture,
                source: "http://deb/dists/sid")
        } catch {
            Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    @Test("amd64: binNMUs, several binaries in one build, Source: with and without a version")
    func amd64() throws {
        let selection = try #require(Self.select(architecture: "amd64"))
        #expect(summary(selection) == [
            "acl 2.3.2-2+b1", "bash 5.1-3+b1", "libfoo 2.0-1+b3", "mariadb-10.5 1:10.5.12-1", "rust-sniffglue 0.14.0-2",
        ])
        #expect(selection.entriesRead == 13)
        let bash = try #require(selection.builds.first { $0.source == "bash" })
        #expect(bash == UpstreamBuild(
            source: "bash", version: try version("5.1-3+b1"), architecture: "amd64",
            fileName: "bash_5.1-3+b1_amd64.buildinfo", path: "/buildinfo-pool/b/bash/bash_5.1-3+b1_amd64.buildinfo"))
        let libfoo = try #require(selection.builds.first { $0.source == "libfoo" })
        #expect(libfoo.path == "/buildinfo-pool/libf/libfoo/libfoo_2.0-1+b3_amd64.buildinfo")
    }

    @Test("the epoch stays in the version but not in file names")
    func epoch() throws {
        let selection = try #require(Self.select(architecture: "amd64"))
        let mariadb = try #require(selection.builds.first { $0.source == "mariadb-10.5" })
        #expect(mariadb.version.epoch == 1)
        #expect("\(mariadb.version)" == "1:10.5.12-1")
        #expect(mariadb.fileName == "mariadb-10.5_10.5.12-1_amd64.buildinfo")
        #expect(mariadb.path == "/buildinfo-pool/m/mariadb-10.5/mariadb-10.5_10.5.12-1_amd64.buildinfo")
    }

    @Test("all: only Architecture: all binaries, with the source's version")
    func all() throws {
        let selection = try #require(Self.select(architecture: "all"))
        #expect(summary(selection) == ["bash 5.1-3", "mariadb-10.5 1:10.5.12-1", "tzdata 2024a-1"])
        #expect(selection.builds.allSatisfy { $0.architecture == "all" && $0.fileName.hasSuffix("_all.buildinfo") })
        #expect(selection.rejected.isEmpty)
    }

    @Test("a binary whose source build is not in Sources is rejected, naming the package")
    func missingSource() throws {
        let selection = try #require(Self.select(architecture: "amd64"))
        #expect(selection.rejected == [RejectedEntry(
            line: 55, text: "Package: orphan", reason: "Packages: orphan: no source package orphan 1.0-1 in Sources")])
    }

    @Test("a binary version ending in +bN is a binNMU only if the source version is the rest")
    func notBinNMU() throws {
        let sources = "Package: weird\nVersion: 1.0+b1\n\nPackage: other\nVersion: 3.0-1\n"
        let packages = """
            Package: weird
            Version: 1.0+b1
            Architecture: amd64

            Package: other-bin
            Source: other (3.0-1)
            Version: 7:2.0+b1
            Architecture: amd64

            """
        let selection = try #require(Self.select(sources, packages, architecture: "amd64"))
        #expect(summary(selection) == ["other 3.0-1", "weird 1.0+b1"])
    }

    @Test("the latest build per source; rejected stanzas do not hide the others")
    func malformed() throws {
        let packages = """
            Package: bash
            Source: bash (5.0-4)
            Version: 5.0-4
            Architecture: amd64

            Package: bash
            Source: bash (5.1-3)
            Version: 5.1-3
            Architecture: amd64

            Package: acl
            Source: acl 2.3.2-2
            Version: 2.3.2-2
            Architecture: amd64

            Package: tzdata
            Version: 2024a-1
            Version: 2024b-1
            Architecture: amd64

            Package: Bad_Name
            Source: bash (5.1-3)
            Version: 5.1-3
            Architecture: amd64

            Package: no-version
            Architecture: amd64

            Package: x1
            Source: bash (5.1-3)
            Version: 5.1-3
            Architecture: amd64

            Package: x2
            Source: bash (5.1-3)
            Version: 5.1-3
            Architecture: amd64

            Package: x3
            Source: bash (5.0-4)
            Version: 5.0-4
            Architecture: amd64

            """
        let selection = try #require(Self.select(Self.sources, packages, architecture: "amd64"))
        #expect(summary(selection) == ["bash 5.1-3"])
        #expect(selection.rejected.map(\.line) == [11, 16, 21, 26])
        #expect(selection.rejected.map(\.reason) == [
            "Packages: acl: malformed Source field 'acl 2.3.2-2'",
            "Packages: line 18: duplicate field 'Version'",
            "Packages: 'Bad_Name' is not a Debian package name",
            "Packages: no Version field",
        ])
    }

    @Test("Sources and Packages that are not indexes are refused")
    func refused() {
        let html = "<!DOCTYPE html>\n<html>Forbidden</html>\n"
        let cases: [(String, String, String)] = [
            (html, Self.packages, "an HTML page, not a Sources index"),
            (Self.sources, html, "an HTML page, not a Packages index"),
            ("", Self.packages, "no entries (empty body), not a Sources index"),
            (Self.sources, "Package: a\u{0}\n", "binary data (NUL byte), not a Packages index"),
            // Sources from another suite: no binary finds its source.
            ("Package: zsh\nVersion: 5.9-1\n", Self.packages,
             "9 of 9 entries rejected, not a Packages index (first: line 1: Packages: bash: no source package bash 5.1-3 in Sources)"),
        ]
        for (sources, packages, reason) in cases {
            let error = upstreamError { () throws(UpstreamError) in
                try ArchiveIndex.builds(
                    sources: Array(sources.utf8), packages: Array(packages.utf8), architecture: "amd64", source: "m")
            }
            #expect(error?.reason == reason)
        }
    }

    @Test("an empty Packages index gives no builds; a bad architecture is refused")
    func emptyPackages() throws {
        let selection = try #require(Self.select(Self.sources, "", architecture: "amd64"))
        #expect(selection.builds.isEmpty)
        #expect(selection.entriesRead == 0)
        let error = upstreamError { () throws(UpstreamError) in
            try ArchiveIndex.builds(
                sources: Array(Self.sources.utf8), packages: [], architecture: "../amd64", source: "m")
        }
        #expect(error?.reason == "invalid architecture '../amd64'")
    }

    @Test("field names ignore case; CRLF tolerated")
    func caseAndCRLF() throws {
        let sources = "package: bash\r\nVERSION: 5.1-3\r\n\r\n"
        let packages = "PACKAGE: bash\r\nsource: bash (5.1-3)\r\nversion: 5.1-3+b1\r\narchitecture: amd64\r\n"
        let selection = try #require(Self.select(sources, packages, architecture: "amd64"))
        #expect(summary(selection) == ["bash 5.1-3+b1"])
    }
}
