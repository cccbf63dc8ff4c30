import Testing
import Upstream

@Suite("PackageSet: names of a .pkgset file")
struct PackageSetTests {
    @Test("names, blanks trimmed, comments and empty lines skipped, CRLF tolerated")
    func names() throws {
        let text = "# essential\napt\n  bash \t\r\n\n#coreutils\ng++-12\nlibc6.1\nbash\n"
        #expect(try PackageSet.names(in: Array(text.utf8), source: "s") == ["apt", "bash", "g++-12", "libc6.1"])
    }

    @Test("an empty set is empty; `full` is the no-filter name")
    func empty() throws {
        #expect(try PackageSet.names(in: [], source: "s").isEmpty)
        #expect(try PackageSet.names(in: Array("# nothing\n\n".utf8), source: "s").isEmpty)
        #expect(PackageSet.full == "full")
    }

    @Test("anything else is refused, naming the line", arguments: [
        ("apt\nBash\n", 2, "'Bash' is not a Debian package name"),
        ("apt\nbash coreutils\n", 2, "'bash coreutils' is not a Debian package name"),
        ("a\n", 1, "'a' is not a Debian package name"),
        ("apt\n-foo\n", 2, "'-foo' is not a Debian package name"),
        ("apt\n../etc\n", 2, "'../etc' is not a Debian package name"),
        ("apt\nbash\u{202E}\n", 2, "'bash\\u{202e}' is not a Debian package name"),
        ("<!DOCTYPE html>\n<title>404</title>", 1, "an HTML page, not a package set"),
        ("apt\n\u{0}\u{1}", 2, "binary data (NUL byte), not a package set"),
    ] as [(String, Int, String)])
    func refused(_ text: String, _ line: Int, _ reason: String) {
        let error = upstreamError { () throws(UpstreamError) in
            try PackageSet.names(in: Array(text.utf8), source: "https://j/test.pkgset")
        }
        #expect(error == UpstreamError(source: "https://j/test.pkgset", line: line, reason: reason))
    }

    @Test("invalid UTF-8 is refused")
    func invalidUTF8() {
        let error = upstreamError { () throws(UpstreamError) in
            try PackageSet.names(in: Array("apt\n".utf8) + [0xFF, 0x0A], source: "s")
        }
        #expect(error?.line == 2)
        #expect(error?.reason == "not valid UTF-8 (byte 0xff), not a package set")
    }
}
