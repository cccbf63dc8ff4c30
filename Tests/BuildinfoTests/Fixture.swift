import Foundation

/// Test data. The real and dpkg-generated files are copies in `Fixtures/` (excluded from the
/// target in Package.swift, read at run time relative to this source file), so the tests do not
/// depend on the repository's sibling `shared/`; `RealFileTests.sharedCopies` checks that the
/// copies still equal the files in `shared/fixtures/debian/` when that folder exists.
enum Fixture {
    /// Tests/BuildinfoTests/
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// Tests/BuildinfoTests/Fixtures/
    static let fixturesDirectory = testsDirectory.appendingPathComponent("Fixtures")

    /// The repository's sibling `shared/fixtures/debian/` (absent outside the build machines).
    static let sharedDirectory = testsDirectory.appendingPathComponent("../../../shared/fixtures/debian").standardized

    /// The fuzzing seed corpus, `Fuzz/corpus/`.
    static let corpusDirectory = testsDirectory.appendingPathComponent("../../Fuzz/corpus").standardized

    /// The real buildd file (clearsigned, binNMU), from `shared/fixtures/debian/`.
    static let bash = fixture("bash_5.1-3+b1_amd64.buildinfo")
    /// The unsigned fake, from `shared/fixtures/debian/`.
    static let fakeBash = fixture("fake_bash_5.1-2+b3_amd64.buildinfo")
    /// Written by dpkg-genbuildinfo 1.21.22 on bookworm, `--build=binary`: a binNMU with an epoch,
    /// `all` and `amd64` packages, DEB_CFLAGS_SET containing quotes (`-O` gave the name; without it
    /// dpkg named the same build `hello-rb_1.0-3+b2_amd64.buildinfo`).
    static let generatedBinary = fixture("generated-hello-rb_1.0-3+b2_amd64.buildinfo")
    /// `--build=all`; dpkg named it `hello-rb_1.0-3+b2_all.buildinfo`.
    static let generatedAll = fixture("generated-hello-rb_1.0-3+b2_all.buildinfo")
    /// `--build=source` (no Binary field); dpkg named it `hello-rb_1.0~rc1-1_source.buildinfo`.
    static let generatedSource = fixture("generated-hello-rb_1.0~rc1-1_source.buildinfo")

    static let fixtureNames = [
        "bash_5.1-3+b1_amd64.buildinfo", "fake_bash_5.1-2+b3_amd64.buildinfo",
        "generated-hello-rb_1.0-3+b2_amd64.buildinfo", "generated-hello-rb_1.0-3+b2_all.buildinfo",
        "generated-hello-rb_1.0~rc1-1_source.buildinfo",
    ]

    /// The bytes of `Fixtures/name`; empty if the file is missing (`RealFileTests.fixturesPresent`
    /// then fails, and so does every test using it).
    static func fixture(_ name: String) -> [UInt8] {
        read(fixturesDirectory.appendingPathComponent(name)) ?? []
    }

    static func read(_ url: URL) -> [UInt8]? {
        (try? Data(contentsOf: url)).map { Array($0) }
    }

    /// A small buildinfo in dpkg-genbuildinfo's shape (digests from `generatedBinary`); line numbers
    /// are those in the comments.
    static let minimalLines: [String] = [
        "Format: 1.0",  // 1
        "Source: hello-rb (2:1.0-3)",  // 2
        "Binary: hello-rb hello-rb-doc",  // 3
        "Architecture: all amd64",  // 4
        "Version: 2:1.0-3+b2",  // 5
        "Checksums-Md5:",  // 6
        " d585045b5e07d3cd3bdf8858f9f6e508 8 hello-rb-doc_1.0-3+b2_all.deb",  // 7
        " e64cb6469a2622b028e0c3a9793e03b2 6 hello-rb_1.0-3+b2_amd64.deb",  // 8
        "Checksums-Sha1:",  // 9
        " 300374ec0120606f809ce1c73f0cf51e8da47e1e 8 hello-rb-doc_1.0-3+b2_all.deb",  // 10
        " faed2c3bb15bb6ea72079fc749ce2cb124f01676 6 hello-rb_1.0-3+b2_amd64.deb",  // 11
        "Checksums-Sha256:",  // 12
        " 1b9421ee2e760e795857ae3e198dbc19995ce4a58b3fa33bb7478f85c8cc711c 8 hello-rb-doc_1.0-3+b2_all.deb",  // 13
        " 2b494e3c184e9e7ca256a24a6119661413608e8a8b9369ee06a19ed83af28c7a 6 hello-rb_1.0-3+b2_amd64.deb",  // 14
        "Build-Origin: Debian",  // 15
        "Build-Architecture: amd64",  // 16
        "Build-Date: Sat, 21 Nov 2026 21:06:05 +0000",  // 17
        "Build-Path: /build/hello-rb-1.0",  // 18
        "Installed-Build-Depends:",  // 19
        " gcc (= 4:12.2.0-3),",  // 20
        " libc6:amd64 (= 2.36-9)",  // 21
        "Environment:",  // 22
        " LC_ALL=\"C.UTF-8\"",  // 23
        " X=\"a \\\"b\\\" c\\\"",  // 24
    ]

    static var minimal: String { text(minimalLines) }

    static func text(_ lines: [String]) -> String {
        lines.map { $0 + "\n" }.joined()
    }

    /// `minimalLines` without the field `name` (and its continuation lines).
    static func minimal(without name: String) -> String {
        var lines: [String] = []
        var skipping = false
        for line in minimalLines {
            if line.first == " " {
                if !skipping { lines.append(line) }
                continue
            }
            skipping = line.hasPrefix(name + ":")
            if !skipping { lines.append(line) }
        }
        return text(lines)
    }

    /// `minimalLines` with line `number` (1-based) replaced by `replacement` (nil removes it).
    static func minimal(replacingLine number: Int, with replacement: String?) -> String {
        var lines = minimalLines
        if let replacement { lines[number - 1] = replacement } else { lines.remove(at: number - 1) }
        return text(lines)
    }
}
