import Buildinfo
import Testing

@Suite("Malformed .buildinfo files: exact message, line and field")
struct BuildinfoErrorTests {
    static let sha256Doc = "1b9421ee2e760e795857ae3e198dbc19995ce4a58b3fa33bb7478f85c8cc711c"
    static let sha256Bin = "2b494e3c184e9e7ca256a24a6119661413608e8a8b9369ee06a19ed83af28c7a"

    @Test("the description names path, line, field and message")
    func description() {
        #expect(BuildinfoError(path: "/spool/new/x.buildinfo", line: 14, field: "Checksums-Sha256",
                               message: "line 3: expected '<sha256> <size> <name>', got 'abc 12'").description
            == "/spool/new/x.buildinfo:14: Checksums-Sha256: line 3: expected '<sha256> <size> <name>', got 'abc 12'")
        #expect(BuildinfoError(path: "x", line: nil, field: "Source", message: "m").description == "x: Source: m")
        #expect(BuildinfoError(path: "x", line: 3, field: nil, message: "m").description == "x:3: m")
        #expect(BuildinfoError(path: "x", message: "m").description == "x: m")
    }

    @Test("a missing required field", arguments: ["Format", "Source", "Binary", "Architecture", "Version", "Checksums-Sha256"])
    func missingField(_ name: String) {
        expectBuildinfoError(Fixture.minimal(without: name), line: 1, field: name, "missing required field")
    }

    @Test("no entries in Checksums-Sha256")
    func emptySha256() {
        var lines = Fixture.minimalLines
        lines.removeSubrange(12...13)
        expectBuildinfoError(Fixture.text(lines), line: 12, field: "Checksums-Sha256", "no entries (at least one is required)")
    }

    @Test("Format")
    func format() {
        expectBuildinfoError(Fixture.minimal(replacingLine: 1, with: "Format: 2.0"), line: 1, field: "Format",
                             "unsupported format '2.0': major version 2 is not 1")
        expectBuildinfoError(Fixture.minimal(replacingLine: 1, with: "Format: 0.2"), line: 1, field: "Format",
                             "unsupported format '0.2': major version 0 is not 1")
        expectBuildinfoError(Fixture.minimal(replacingLine: 1, with: "Format: 1"), line: 1, field: "Format",
                             "invalid format '1' (expected '<major>.<minor>')")
        expectBuildinfoError(Fixture.minimal(replacingLine: 1, with: "Format:"), line: 1, field: "Format", "empty value")
        #expect(parseBuildinfo(Fixture.minimal(replacingLine: 1, with: "Format: 1.9"))?.format == "1.9")
    }

    @Test("bad checksum lines")
    func checksumLines() {
        func sha256Line2(_ text: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
            expectBuildinfoError(Fixture.minimal(replacingLine: 14, with: " " + text), line: 14, field: "Checksums-Sha256",
                                 "line 2: " + message, sourceLocation: sourceLocation)
        }
        let name = "hello-rb_1.0-3+b2_amd64.deb"
        sha256Line2("2b494e3c 6 \(name)", "sha256 digest '2b494e3c' is not 64 lowercase hexadecimal digits")
        sha256Line2("\(Self.sha256Bin)0 6 \(name)", "sha256 digest '\(Self.sha256Bin)0' is not 64 lowercase hexadecimal digits")
        sha256Line2("\(Self.sha256Bin.uppercased()) 6 \(name)",
                    "sha256 digest '\(Self.sha256Bin.uppercased())' is not 64 lowercase hexadecimal digits")
        sha256Line2("\(Self.sha256Bin) 6x \(name)", "size '6x' is not a non-negative integer")
        sha256Line2("\(Self.sha256Bin) -6 \(name)", "size '-6' is not a non-negative integer")
        sha256Line2("\(Self.sha256Bin) 99999999999999999999 \(name)", "size '99999999999999999999' is not a non-negative integer")
        sha256Line2("\(Self.sha256Bin) 6", "expected '<sha256> <size> <name>', got '\(Self.sha256Bin) 6'")
        sha256Line2("\(Self.sha256Bin) 6 \(name) extra", "expected '<sha256> <size> <name>', got '\(Self.sha256Bin) 6 \(name) extra'")
        sha256Line2("\(Self.sha256Bin) 6 ../\(name)", "file name '../\(name)' contains '/'")
        sha256Line2("\(Self.sha256Bin) 6 pool/\(name)", "file name 'pool/\(name)' contains '/'")
        sha256Line2("\(Self.sha256Bin) 6 .\(name)", "file name '.\(name)' starts with '.'")
        sha256Line2("\(Self.sha256Bin) 6 -rf", "file name '-rf' is not a safe file name ([0-9a-zA-Z][-+:.,=0-9a-zA-Z_~]+)")
        sha256Line2("\(Self.sha256Bin) 6 a$b", "file name 'a$b' is not a safe file name ([0-9a-zA-Z][-+:.,=0-9a-zA-Z_~]+)")
        sha256Line2("\(Self.sha256Doc) 8 hello-rb-doc_1.0-3+b2_all.deb",
                    "file name 'hello-rb-doc_1.0-3+b2_all.deb' already listed on line 1")
        expectBuildinfoError(Fixture.minimal(replacingLine: 7, with: " d585045b5e07d3cd3bdf8858f9f6e5 8 hello-rb-doc_1.0-3+b2_all.deb"),
                             line: 7, field: "Checksums-Md5",
                             "line 1: md5 digest 'd585045b5e07d3cd3bdf8858f9f6e5' is not 32 lowercase hexadecimal digits")
        expectBuildinfoError(Fixture.minimal(replacingLine: 11, with: " faed2c3bb15bb6ea72079fc749ce2cb124f01676 6"),
                             line: 11, field: "Checksums-Sha1", "line 2: expected '<sha1> <size> <name>', got 'faed2c3bb15bb6ea72079fc749ce2cb124f01676 6'")
    }

    @Test("the checksum fields must list the same files with the same sizes")
    func checksumFieldsAgree() {
        expectBuildinfoError(Fixture.minimal(replacingLine: 8, with: nil), line: 6, field: "Checksums-Md5",
                             "'hello-rb_1.0-3+b2_amd64.deb' is listed in Checksums-Sha256 but not in Checksums-Md5")
        expectBuildinfoError(Fixture.minimal(replacingLine: 10, with: nil), line: 9, field: "Checksums-Sha1",
                             "'hello-rb-doc_1.0-3+b2_all.deb' is listed in Checksums-Sha256 but not in Checksums-Sha1")
        expectBuildinfoError(Fixture.minimal(replacingLine: 14, with: nil), line: 8, field: "Checksums-Md5",
                             "line 2: 'hello-rb_1.0-3+b2_amd64.deb' is not listed in Checksums-Sha256")
        expectBuildinfoError(Fixture.minimal(replacingLine: 14, with: " \(Self.sha256Bin) 7 hello-rb_1.0-3+b2_amd64.deb"),
                             line: 8, field: "Checksums-Md5",
                             "line 2: size 6 of 'hello-rb_1.0-3+b2_amd64.deb' differs from its size 7 in Checksums-Sha256")
        expectBuildinfoError(Fixture.minimal(replacingLine: 11, with: " faed2c3bb15bb6ea72079fc749ce2cb124f01676 5 hello-rb_1.0-3+b2_amd64.deb"),
                             line: 11, field: "Checksums-Sha1",
                             "line 2: size 5 of 'hello-rb_1.0-3+b2_amd64.deb' differs from its size 6 in Checksums-Sha256")
        // Without Md5 and Sha1 there is nothing to compare.
        let info = parseBuildinfo(Fixture.minimal(without: "Checksums-Md5").replacingOccurrences(of: "Checksums-Sha1:\n", with: "")
            .split(separator: "\n").filter { !$0.hasPrefix(" 300374") && !$0.hasPrefix(" faed2c") }.joined(separator: "\n") + "\n")
        #expect(info?.checksumsMd5 == [])
        #expect(info?.checksumsSha1 == [])
        #expect(info?.checksumsSha256.count == 2)
    }

    @Test("versions")
    func versions() {
        expectBuildinfoError(Fixture.minimal(replacingLine: 5, with: "Version: 1.0-"), line: 5, field: "Version",
                             "invalid version '1.0-': revision number is empty")
        expectBuildinfoError(Fixture.minimal(replacingLine: 5, with: "Version: a1.0"), line: 5, field: "Version",
                             "invalid version 'a1.0': version number does not start with digit")
        expectBuildinfoError(Fixture.minimal(replacingLine: 5, with: "Version: 1.0 1"), line: 5, field: "Version",
                             "invalid version '1.0 1': version string has embedded spaces")
        expectBuildinfoError(Fixture.minimal(replacingLine: 2, with: "Source: hello-rb (5.1-)"), line: 2, field: "Source",
                             "invalid version '5.1-': revision number is empty")
        expectBuildinfoError(Fixture.minimal(replacingLine: 2, with: "Source: hello-rb 1.0"), line: 2, field: "Source",
                             "expected '<source>' or '<source> (<version>)', got 'hello-rb 1.0'")
        expectBuildinfoError(Fixture.minimal(replacingLine: 2, with: "Source: hello-rb ()"), line: 2, field: "Source",
                             "expected '<source>' or '<source> (<version>)', got 'hello-rb ()'")
        expectBuildinfoError(Fixture.minimal(replacingLine: 2, with: "Source: Hello"), line: 2, field: "Source",
                             "invalid source package name 'Hello'")
        expectBuildinfoError(Fixture.minimal(replacingLine: 2, with: "Source: ../x"), line: 2, field: "Source",
                             "invalid source package name '../x'")
        #expect(parseBuildinfo(Fixture.minimal(replacingLine: 2, with: "Source: hello-rb"))?.sourceVersion.description == "2:1.0-3+b2")
    }

    @Test("Binary and Architecture")
    func names() {
        expectBuildinfoError(Fixture.minimal(replacingLine: 3, with: "Binary: hello-rb Hello"), line: 3, field: "Binary",
                             "invalid binary package name 'Hello'")
        expectBuildinfoError(Fixture.minimal(replacingLine: 3, with: "Binary:"), line: 3, field: "Binary", "empty value")
        expectBuildinfoError(Fixture.minimal(replacingLine: 4, with: "Architecture: all amd64/x"), line: 4, field: "Architecture",
                             "invalid architecture name 'amd64/x'")
        expectBuildinfoError(Fixture.minimal(replacingLine: 16, with: "Build-Architecture: AMD64"), line: 16,
                             field: "Build-Architecture", "invalid architecture name 'AMD64'")
        // dpkg folds a long Binary field over several lines.
        let folded = parseBuildinfo(Fixture.minimal(replacingLine: 3, with: "Binary: hello-rb\n hello-rb-doc"))
        #expect(folded?.binaries == ["hello-rb", "hello-rb-doc"])
    }

    @Test("single-line fields")
    func singleLine() {
        expectBuildinfoError(Fixture.minimal(replacingLine: 18, with: "Build-Path:\n /build/x"), line: 19, field: "Build-Path",
                             "unexpected continuation line (the value must be a single line)")
        expectBuildinfoError(Fixture.minimal(replacingLine: 5, with: "Version: 1.0\n -1"), line: 6, field: "Version",
                             "unexpected continuation line (the value must be a single line)")
    }

    @Test("Installed-Build-Depends")
    func installedBuildDepends() {
        expectBuildinfoError(Fixture.minimal(replacingLine: 21, with: " libc6:amd64 (>= 2.36-9)"), line: 21,
                             field: "Installed-Build-Depends",
                             "entry 2: expected '<package>[:<arch>] (= <version>)', got 'libc6:amd64 (>= 2.36-9)'")
        expectBuildinfoError(Fixture.minimal(replacingLine: 20, with: " gcc (= 4:12.2.0-),"), line: 20,
                             field: "Installed-Build-Depends",
                             "entry 1: gcc: invalid version '4:12.2.0-': revision number is empty")
        expectBuildinfoError(Fixture.minimal(replacingLine: 21, with: " libc6:amd64 (= 2.36-9),"), line: 21,
                             field: "Installed-Build-Depends", "entry 3: empty entry")
        expectBuildinfoError(Fixture.minimal(replacingLine: 21, with: " libc6:AMD64 (= 2.36-9)"), line: 21,
                             field: "Installed-Build-Depends",
                             "entry 2: invalid architecture 'AMD64' in 'libc6:AMD64 (= 2.36-9)'")
        expectBuildinfoError(Fixture.minimal(replacingLine: 20, with: " Gcc (= 1),"), line: 20,
                             field: "Installed-Build-Depends", "entry 1: invalid package name 'Gcc' in 'Gcc (= 1)'")
        expectBuildinfoError(Fixture.minimal(replacingLine: 21, with: " libc6"), line: 21,
                             field: "Installed-Build-Depends", "entry 2: expected '<package>[:<arch>] (= <version>)', got 'libc6'")
        // Items may be folded anywhere, and spaces inside the parentheses are optional.
        let info = parseBuildinfo(Fixture.minimal(replacingLine: 21, with: " libc6:amd64\n  (=2.36-9 ), make(= 4.3-4.1)"))
        #expect(info?.installedBuildDepends.map(\.description) == ["gcc (= 4:12.2.0-3)", "libc6:amd64 (= 2.36-9)", "make (= 4.3-4.1)"])
        expectBuildinfoError(Fixture.minimal(replacingLine: 21, with: " libc6:amd64 (= 2.36-9),\n make (= 4.3-)"), line: 22,
                             field: "Installed-Build-Depends", "entry 3: make: invalid version '4.3-': revision number is empty")
        #expect(parseBuildinfo(Fixture.minimal(without: "Installed-Build-Depends"))?.installedBuildDepends == [])
    }

    @Test("Environment")
    func environment() {
        func line23(_ text: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
            expectBuildinfoError(Fixture.minimal(replacingLine: 23, with: " " + text), line: 23, field: "Environment",
                                 "line 1: " + message, sourceLocation: sourceLocation)
        }
        line23("LC_ALL=C.UTF-8", "value of LC_ALL is not in double quotes: 'LC_ALL=C.UTF-8'")
        line23("LC_ALL=\"C.UTF-8", "value of LC_ALL is not in double quotes: 'LC_ALL=\"C.UTF-8'")
        line23("LC_ALL=\"", "value of LC_ALL is not in double quotes: 'LC_ALL=\"'")
        line23("1X=\"a\"", "invalid variable name '1X'")
        line23("NOEQUALS", "expected 'NAME=\"value\"', got 'NOEQUALS'")
        line23("X=\"a\"b\"", "unescaped '\"' in the value of X")
        // Only `\"` is an escape (for `"`); other backslashes stand for themselves.
        let values = parseBuildinfo(Fixture.minimal(replacingLine: 23, with: " A=\"\"\n " + #"B="\\\" \\ \"""#))?.environment
        #expect(values == [
            EnvironmentVariable(name: "A", value: ""),
            EnvironmentVariable(name: "B", value: #"\\" \\ ""#),
            EnvironmentVariable(name: "X", value: #"a "b" c\"#),
        ])
        // What dpkg-genbuildinfo writes reads back as the value.
        for value in [#"a "b" c\"#, #"\""#, "", #"\\"#, #"x\"#] {
            let written = EnvironmentVariable(name: "V", value: value).description
            let info = parseBuildinfo(Fixture.minimal(replacingLine: 23, with: " " + written))
            #expect(info?.environment.first == EnvironmentVariable(name: "V", value: value), "\(written)")
        }
    }

    @Test("structure: duplicates, paragraphs, comments, bytes")
    func structure() {
        expectBuildinfoError(Fixture.minimal(replacingLine: 15, with: "version: 1"), line: 15, field: "version",
                             "duplicate field (first at line 5)")
        expectBuildinfoError(Fixture.minimal(replacingLine: 15, with: "Version: 1"), line: 15, field: "Version",
                             "duplicate field (first at line 5)")
        expectBuildinfoError(Fixture.minimal + "\nExtra: paragraph\n", line: 26, field: nil,
                             "unexpected second paragraph (a .buildinfo file has exactly one)")
        expectBuildinfoError("", line: nil, field: nil, "no fields: the file has no deb822 paragraph")
        expectBuildinfoError("\n\n", line: nil, field: nil, "no fields: the file has no deb822 paragraph")
        expectBuildinfoError("# comment\n" + Fixture.minimal, line: 1, field: nil,
                             "comment line not allowed here (field names cannot start with '#')")
        expectBuildinfoError(Fixture.minimal(replacingLine: 18, with: "Build-Path: /bu\u{0}ild"), line: 18, field: nil,
                             "NUL byte at column 16")
        expectBuildinfoError(Array(Fixture.minimal(replacingLine: 15, with: "Build-Origin: Deb@ian").utf8).map { $0 == UInt8(ascii: "@") ? 0xFF : $0 },
                             line: 15, field: nil, "invalid UTF-8 at column 18 (byte 0xff)")
        expectBuildinfoError(Fixture.minimal.replacingOccurrences(of: "\n", with: "\r\n"), line: 1, field: nil,
                             "carriage return at column 12 (CRLF line endings are not accepted)")
        expectBuildinfoError(Fixture.minimal(replacingLine: 6, with: "Checksums-Md5"), line: 6, field: nil,
                             "expected 'Field: value', got 'Checksums-Md5'")
        // Unknown fields are ignored; names are matched ignoring case.
        let info = parseBuildinfo(Fixture.minimal(replacingLine: 15, with: "BUILD-ORIGIN: Debian\nBuild-Tainted-By:\n usr-local-has-programs"))
        #expect(info?.buildOrigin == "Debian")
    }
}
