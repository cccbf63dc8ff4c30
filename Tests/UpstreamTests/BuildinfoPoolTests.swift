import Buildinfo
import Testing
import Upstream

@Suite("BuildinfoPool: choosing the latest build per source")
struct BuildinfoPoolTests {
    @Test("dpkg order decides, not string order", arguments: [
        (["1.0~rc1-1", "1.0-1"], "1.0-1"),
        (["1.0-1", "1.0~rc1-1"], "1.0-1"),
        (["5.1-3+b1", "5.1-3+b2", "5.1-3"], "5.1-3+b2"),
        (["5.1-3+b10", "5.1-3+b9"], "5.1-3+b10"),
        (["3.6.1.3-2+b3", "3.12.4-1"], "3.12.4-1"),
        (["2.0-1", "2.0-1+deb12u1", "2.0~beta-9"], "2.0-1+deb12u1"),
        (["1.0", "1.0+dfsg", "1.0~"], "1.0+dfsg"),
    ])
    func dpkgOrder(_ versions: [String], _ latest: String) {
        let text = versions.map { poolLine("bash", $0) }.joined(separator: "\n")
        #expect(summary(poolSelection(text)) == ["bash \(latest)"])
    }

    @Test("one build per source, sorted by source; file name and path as listed")
    func perSource() throws {
        let text = [
            poolLine("zsh", "5.8-6"), poolLine("libfoo", "1.0-1"), poolLine("bash", "5.1-2"),
            poolLine("libfoo", "1.1-1"), poolLine("bash", "5.1-3+b1"), poolLine("zsh", "5.8-6"),
        ].joined(separator: "\n") + "\n"
        let selection = try #require(poolSelection(text))
        #expect(summary(selection) == ["bash 5.1-3+b1", "libfoo 1.1-1", "zsh 5.8-6"])
        #expect(selection.entriesRead == 6)
        #expect(selection.rejected.isEmpty)
        #expect(selection.builds[1] == UpstreamBuild(
            source: "libfoo", version: try version("1.1-1"), architecture: "amd64",
            fileName: "libfoo_1.1-1_amd64.buildinfo", path: "/buildinfo-pool/libf/libfoo/libfoo_1.1-1_amd64.buildinfo"))
    }

    @Test("other architectures are skipped, not rejected, and never win over the requested one")
    func architectures() throws {
        let text = [
            poolLine("bash", "5.1-2"), poolLine("bash", "5.2-1", "amd64-source"), poolLine("bash", "5.2-1", "all"),
            poolLine("bash", "5.3-1", "arm64"), poolLine("bash", "5.3-1", "all-amd64"), poolLine("dash", "0.5-1", "all"),
        ].joined(separator: "\n")
        let amd64 = try #require(poolSelection(text))
        #expect(summary(amd64) == ["bash 5.1-2"])
        #expect(amd64.rejected.isEmpty)
        #expect(amd64.entriesRead == 6)
        let all = try #require(poolSelection(text, architecture: "all"))
        #expect(summary(all) == ["bash 5.2-1", "dash 0.5-1"])
        #expect(all.builds.allSatisfy { $0.architecture == "all" })
    }

    @Test("CRLF, blank lines, surrounding blanks and a missing final newline are fine")
    func lineEndings() throws {
        let text = "\r\n" + poolLine("bash", "5.1-2") + "\r\n\r\n  " + poolLine("bash", "5.1-3") + " \r\n" + poolLine("apt", "2.3.9")
        let selection = try #require(poolSelection(text))
        #expect(summary(selection) == ["apt 2.3.9", "bash 5.1-3"])
        #expect(selection.builds.map(\.path) == [poolLine("apt", "2.3.9"), poolLine("bash", "5.1-3")])
        #expect(selection.entriesRead == 3)
        #expect(selection.rejected.isEmpty)
    }

    static let badLines: [(String, String)] = [
        ("/buildinfo-pool/b/bash/../../etc/bash_5.1-2_amd64.buildinfo", "'..' in path"),
        ("/buildinfo-pool/b/bash/..", "'..' in path"),
        ("/buildinfo-pool/b//bash/bash_5.1-2_amd64.buildinfo", "empty path component ('//')"),
        ("/buildinfo-pool/b/bash\\bash_5.1-2_amd64.buildinfo", "backslash in path"),
        ("/buildinfo-pool/b/bash/bash_5.1-2%2Bb1_amd64.buildinfo", "percent escape in path"),
        ("/buildinfo-pool/b/bash/bash_5.1-2\u{1B}[31m_amd64.buildinfo", "control character in path"),
        ("/buildinfo-pool/b/bash/bash_5.1\t-2_amd64.buildinfo", "control character in path"),
        ("/buildinfo-pool/b/bash/bash_5.1-2 x_amd64.buildinfo", "character outside A-Za-z0-9.+~_- in path"),
        ("/buildinfo-pool/b/bash/bash_1:5.1-2_amd64.buildinfo", "character outside A-Za-z0-9.+~_- in path"),
        ("/buildinfo-pool/b/bash/bаsh_5.1-2_amd64.buildinfo", "character outside A-Za-z0-9.+~_- in path"),
        ("buildinfo-pool/b/bash/bash_5.1-2_amd64.buildinfo", "not an absolute path"),
        ("/buildinfo-pool/b/bash/bash_5.1-2_amd64.changes", "not a .buildinfo file"),
        ("/buildinfo-pool/b/bash/bash_5.1-2.buildinfo", "file name is not <source>_<version>_<arch>.buildinfo"),
        ("/buildinfo-pool/b/bash/bash_5.1_2_amd64.buildinfo", "file name is not <source>_<version>_<arch>.buildinfo"),
        ("/buildinfo-pool/b/bash/bash__amd64.buildinfo", "file name is not <source>_<version>_<arch>.buildinfo"),
        ("/buildinfo-pool/b/Bash/Bash_5.1-2_amd64.buildinfo", "source 'Bash' is not a Debian package name"),
        ("/buildinfo-pool/b/b/b_5.1-2_amd64.buildinfo", "source 'b' is not a Debian package name"),
        ("/buildinfo-pool/b/bash/bash_5.1-_amd64.buildinfo", "invalid version '5.1-': revision number is empty"),
        ("/buildinfo-pool/b/bash/bash_-1_amd64.buildinfo", "invalid version '-1': version number is empty"),
        ("/buildinfo-pool/d/bash/bash_5.1-2_amd64.buildinfo", "directory does not match the source (expected …/b/bash/)"),
        ("/buildinfo-pool/b/dash/bash_5.1-2_amd64.buildinfo", "directory does not match the source (expected …/b/bash/)"),
        ("/buildinfo-pool/l/libfoo/libfoo_1.0-1_amd64.buildinfo", "directory does not match the source (expected …/libf/libfoo/)"),
        ("/bash_5.1-2_amd64.buildinfo", "directory does not match the source (expected …/b/bash/)"),
    ]

    @Test("a bad line is rejected with its line number and reason; the good lines are still used", arguments: badLines)
    func badLine(_ line: String, _ reason: String) throws {
        let text = [poolLine("bash", "5.0-1"), line, poolLine("apt", "2.3.9"), poolLine("zsh", "5.8-1")]
            .joined(separator: "\n")
        let selection = try #require(poolSelection(text))
        #expect(selection.rejected.map(\.line) == [2])
        #expect(selection.rejected.first?.reason == reason)
        #expect(summary(selection) == ["apt 2.3.9", "bash 5.0-1", "zsh 5.8-1"])
        #expect(selection.entriesRead == 4)
    }

    @Test("rejected text is escaped and shortened")
    func rejectedText() throws {
        let long = "/buildinfo-pool/b/bash/" + String(repeating: "x", count: 10_000) + "\u{202E}"
        let text = [poolLine("bash", "5.0-1"), "/b/\u{1B}]0;owned\u{07}'\\", long, poolLine("apt", "2.3.9"), poolLine("zsh", "5.8-1")]
            .joined(separator: "\n")
        let selection = try #require(poolSelection(text))
        #expect(selection.rejected.count == 2)
        #expect(selection.rejected.first?.text == "/b/\\u{1b}]0;owned\\u{7}\\'\\\\")
        let shown = try #require(selection.rejected.last?.text)
        #expect(shown.count == 201)
        #expect(shown.hasSuffix("…"))
        #expect(!shown.unicodeScalars.contains { $0.value < 0x20 || $0.value > 0x7E && $0 != "…" })
    }

    @Test("a listing that is not a listing is refused", arguments: [
        ("", nil, "no entries (empty body), not a buildinfo listing"),
        ("\n \r\n\n", nil, "no entries (empty body), not a buildinfo listing"),
        ("<!DOCTYPE html>\n<html><body>Not found</body></html>\n", 1, "an HTML page, not a buildinfo listing"),
        ("  <HTML>\n", 1, "an HTML page, not a buildinfo listing"),
        ("\u{FEFF}<!doctype html>", 1, "an HTML page, not a buildinfo listing"),
        (poolLine("bash", "5.1-2") + "\n<p>maintenance</p>\n", 2, "an HTML page, not a buildinfo listing"),
    ] as [(String, Int?, String)])
    func refusedText(_ text: String, _ line: Int?, _ reason: String) {
        let error = upstreamError { () throws(UpstreamError) in
            try BuildinfoPool.latest(listing: Array(text.utf8), architecture: "amd64", source: "https://b.d.n/l.list")
        }
        #expect(error == UpstreamError(source: "https://b.d.n/l.list", line: line, reason: reason))
    }

    @Test("binary junk is refused: NUL bytes, invalid UTF-8")
    func refusedBinary() {
        let good = Array((poolLine("bash", "5.1-2") + "\n").utf8)
        for (junk, reason) in [
            ([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00], "binary data (NUL byte), not a buildinfo listing"),
            ([0x1F, 0x8B, 0x08, 0x00], "not valid UTF-8 (byte 0x8b), not a buildinfo listing"),
            ([0x41, 0x00, 0x42], "binary data (NUL byte), not a buildinfo listing"),
            ([0x2F, 0xC3, 0x28], "not valid UTF-8 (byte 0xc3), not a buildinfo listing"),
            ([0xFD, 0x37, 0x7A, 0x58, 0x5A], "not valid UTF-8 (byte 0xfd), not a buildinfo listing"),
        ] as [([UInt8], String)] {
            let error = upstreamError { () throws(UpstreamError) in
                try BuildinfoPool.latest(listing: good + good + junk + good, architecture: "amd64", source: "l")
            }
            #expect(error == UpstreamError(source: "l", line: 3, reason: reason))
        }
    }

    @Test("more than half of the lines rejected: the listing is refused; half is still a listing")
    func mostlyRejected() throws {
        let good = [poolLine("bash", "5.1-2"), poolLine("apt", "2.3.9")]
        let bad = ["/x/../y", "hello world"]
        #expect(summary(poolSelection((good + bad).joined(separator: "\n"))) == ["apt 2.3.9", "bash 5.1-2"])
        let error = upstreamError { () throws(UpstreamError) in
            try BuildinfoPool.latest(
                listing: Array((good + bad + ["x"]).joined(separator: "\n").utf8), architecture: "amd64", source: "l")
        }
        #expect(error?.reason == "3 of 5 entries rejected, not a buildinfo listing (first: line 3: '..' in path)")
        #expect(error?.line == nil)
        #expect(error?.description.hasPrefix("l: 3 of 5 entries rejected") == true)
    }

    @Test("UpstreamError's description names source and line")
    func errorDescription() {
        #expect(UpstreamError(source: "https://x/l", line: 7, reason: "bad").description == "https://x/l:7: bad")
        #expect(UpstreamError(source: "https://x/l", reason: "bad").description == "https://x/l: bad")
    }

    @Test("many versions of many sources: the latest of each, as DebianVersion orders them")
    func manyVersions() throws {
        let versions = ["1.0~rc1-1", "1.0-1", "1.0-1+b1", "1.0-1+b2", "1.0.1-1", "1.10-1", "1.9-3", "1.9-3+b1"]
        var lines: [String] = []
        var expected: [String: DebianVersion] = [:]
        for s in 1..<256 {
            // Source s lists the versions whose bit is set in s, in an order rotated by s.
            for k in 0..<versions.count where (s >> ((k + s) % versions.count)) & 1 == 1 {
                let text = versions[(k + s) % versions.count]
                lines.append(poolLine("pkg\(s)", text))
                let v = try version(text)
                if expected["pkg\(s)"].map({ v > $0 }) ?? true { expected["pkg\(s)"] = v }
            }
        }
        let selection = try #require(poolSelection(lines.joined(separator: "\n")))
        #expect(selection.builds.count == 255)
        #expect(selection.entriesRead == lines.count)
        for build in selection.builds { #expect(build.version == expected[build.source]) }
        #expect(Set(selection.builds.map { "\($0.version)" }).count == versions.count)
    }
}
