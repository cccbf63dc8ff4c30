import Buildinfo
import Foundation
import Testing

@Suite("OpenPGP cleartext signatures")
struct ClearsignTests {
    static let signatureLines = [
        "-----BEGIN PGP SIGNATURE-----",
        "",
        "iQEzBAEBCgAdFiEE8DPOGMaQHbqWZUKpt/b36/s0kbEFAmD9sggACgkQt/b36/s0",
        "=qzKk",
        "-----END PGP SIGNATURE-----",
    ]

    /// Lines: 1 BEGIN, 2 Hash, 3 empty, 4–27 the minimal buildinfo, 28–32 the signature.
    static var signedMinimalLines: [String] {
        ["-----BEGIN PGP SIGNED MESSAGE-----", "Hash: SHA256", ""] + Fixture.minimalLines + signatureLines
    }

    func split(_ text: String) throws -> ClearsignedMessage {
        try ClearsignedMessage.split(Array(text.utf8), path: "t.buildinfo")
    }

    func expectSplitError(_ lines: [String], line: Int, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = BuildinfoError(path: "t.buildinfo", line: line, message: message)
        #expect(throws: expected, sourceLocation: sourceLocation) { try split(Fixture.text(lines)) }
        // Buildinfo.parse reports the same.
        expectBuildinfoError(Fixture.text(lines), line: line, field: nil, message, sourceLocation: sourceLocation)
    }

    @Test("a signed buildinfo: text, signature, headers, and file line numbers in errors")
    func signedMinimal() throws {
        let message = try split(Fixture.text(Self.signedMinimalLines))
        #expect(message.firstLine == 4)
        #expect(message.text == Array(Fixture.minimal.utf8))
        let signature = try #require(message.signature)
        #expect(signature.hashHeader == "SHA256")
        #expect(signature.hashAlgorithms == ["SHA256"])
        #expect(signature.signedTextLine == 4)
        #expect(signature.signedText == Array(Fixture.minimal.utf8.dropLast()))
        #expect(signature.armoredSignature == Fixture.text(Self.signatureLines))
        let info = try #require(parseBuildinfo(Fixture.text(Self.signedMinimalLines)))
        #expect(info.signature == signature)

        var lines = Self.signedMinimalLines
        lines[7] = "Version: 1.0-"  // minimal line 5 is file line 8
        expectBuildinfoError(Fixture.text(lines), line: 8, field: "Version", "invalid version '1.0-': revision number is empty")
    }

    @Test("unsigned files pass through unchanged")
    func unsigned() throws {
        let message = try split(Fixture.minimal)
        #expect(message == ClearsignedMessage(text: Array(Fixture.minimal.utf8), firstLine: 1, signature: nil))
        #expect(try split("") == ClearsignedMessage(text: [], firstLine: 1, signature: nil))
    }

    @Test("several Hash headers, none, and trailing blanks on armor lines")
    func hashHeaders() throws {
        let several = try split(Fixture.text(
            ["-----BEGIN PGP SIGNED MESSAGE-----  ", "Hash: SHA1, SHA256", "Hash: SHA512", "", "A: 1"]
                + Self.signatureLines.map { $0 + " \t" }))
        #expect(several.signature?.hashHeader == "SHA1, SHA256, SHA512")
        #expect(several.signature?.hashAlgorithms == ["SHA1", "SHA256", "SHA512"])
        let none = try split(Fixture.text(["-----BEGIN PGP SIGNED MESSAGE-----", "", "A: 1"] + Self.signatureLines))
        #expect(none.signature?.hashHeader == nil)
        #expect(none.signature?.hashAlgorithms == [])
        #expect(none.firstLine == 3)
        #expect(none.text == Array("A: 1\n".utf8))
    }

    @Test("truncated armor: no END line")
    func missingEnd() {
        expectSplitError(Array(Self.signedMinimalLines.dropLast()), line: 31,
                         "end of file in the OpenPGP signature started at line 28: no '-----END PGP SIGNATURE-----'")
        expectSplitError(Array(Self.signedMinimalLines.dropLast(3)), line: 29,
                         "end of file in the OpenPGP signature started at line 28: no '-----END PGP SIGNATURE-----'")
    }

    @Test("truncated armor: no signature block")
    func missingSignature() {
        expectSplitError(Array(Self.signedMinimalLines.dropLast(5)), line: 27,
                         "end of file in the signed text: no '-----BEGIN PGP SIGNATURE-----'")
    }

    @Test("truncated armor: BEGIN without the empty line after the headers")
    func missingEmptyLine() {
        var lines = Self.signedMinimalLines
        lines.remove(at: 2)
        expectSplitError(lines, line: 3,
                         "expected a 'Hash:' armor header or an empty line after '-----BEGIN PGP SIGNED MESSAGE-----', got 'Format: 1.0'")
        expectSplitError(["-----BEGIN PGP SIGNED MESSAGE-----", "Hash: SHA512"], line: 2,
                         "end of file in the armor headers of the signed message (expected an empty line after them)")
        expectSplitError(["-----BEGIN PGP SIGNED MESSAGE-----"], line: 1,
                         "end of file in the armor headers of the signed message (expected an empty line after them)")
    }

    @Test("other malformed armor")
    func malformedArmor() {
        let base = Self.signedMinimalLines
        var lines = base
        lines[1] = "Hash: FOO"
        expectSplitError(lines, line: 2, "unknown hash algorithm 'FOO' in 'Hash' armor header")
        lines[1] = "Hash: SHA256,"
        expectSplitError(lines, line: 2, "empty hash algorithm name in 'Hash' armor header 'SHA256,'")
        lines[1] = "Comment: hello"
        expectSplitError(lines, line: 2,
                         "expected a 'Hash:' armor header or an empty line after '-----BEGIN PGP SIGNED MESSAGE-----', got 'Comment: hello'")
        lines = base
        lines[4] = "-Source: hello-rb (2:1.0-3)"
        expectSplitError(lines, line: 5, "line starting with '-' is not dash-escaped: '-Source: hello-rb (2:1.0-3)'")
        lines = base
        lines[28] = "iQEz"  // no empty line after BEGIN PGP SIGNATURE
        expectSplitError(lines, line: 29,
                         "expected an armor header or an empty line after '-----BEGIN PGP SIGNATURE-----' (line 28), got 'iQEz'")
        lines = base
        lines[29] = "iQEz!!"
        expectSplitError(lines, line: 30, "invalid line in OpenPGP signature: 'iQEz!!'")
        lines = base
        lines[30] = "=qzK"
        expectSplitError(lines, line: 31, "invalid armor checksum line '=qzK'")
        lines = base
        lines.insert("iQEz", at: 31)
        expectSplitError(lines, line: 32, "expected '-----END PGP SIGNATURE-----' after the armor checksum, got 'iQEz'")
        lines = base
        lines.removeSubrange(29...30)
        expectSplitError(lines, line: 30, "empty OpenPGP signature")
        expectSplitError(base + ["", "Source: evil"], line: 34, "text after '-----END PGP SIGNATURE-----': 'Source: evil'")
        expectSplitError(["-----BEGIN PGP MESSAGE-----"], line: 1,
                         "unsupported OpenPGP armor '-----BEGIN PGP MESSAGE-----', expected '-----BEGIN PGP SIGNED MESSAGE-----'")
        expectSplitError([""] + base, line: 2,
                         "OpenPGP armor '-----BEGIN PGP SIGNED MESSAGE-----' in an unsigned file (a signed file starts with '-----BEGIN PGP SIGNED MESSAGE-----' on line 1)")
        expectSplitError(Fixture.minimalLines + Self.signatureLines, line: 25,
                         "OpenPGP armor '-----BEGIN PGP SIGNATURE-----' in an unsigned file (a signed file starts with '-----BEGIN PGP SIGNED MESSAGE-----' on line 1)")
    }

    @Test("empty lines after the signature are fine")
    func trailingEmptyLines() throws {
        #expect(try split(Fixture.text(Self.signedMinimalLines + ["", " "])).signature != nil)
    }

    @Test("GnuPG's dash-escaping is undone; canonicalSignedText is what the signature covers")
    func gnupgFile() throws {
        let message = try ClearsignedMessage.split(Fixture.gpgClearsigned, path: "g")
        let signature = try #require(message.signature)
        let expectedText = "Format: 1.0\nSource: hello\nTrailing: blanks   \n-dash line\n- already dashed\n--- triple\nFrom the start\n"
        #expect(String(decoding: signature.signedText, as: UTF8.self) == expectedText)
        #expect(String(decoding: signature.canonicalSignedText, as: UTF8.self)
            == "Format: 1.0\r\nSource: hello\r\nTrailing: blanks\r\n-dash line\r\n- already dashed\r\n--- triple\r\nFrom the start\r\n")
        #expect(message.text == Array((expectedText + "\n").utf8))
        #expect(signature.armoredSignature.hasPrefix("-----BEGIN PGP SIGNATURE-----\n\niHUEARYIAB0W"))
    }

    @Test("gpgv verifies canonicalSignedText with armoredSignature, and only it",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gpgv")))
    func gpgvVerifies() throws {
        let signature = try #require(try ClearsignedMessage.split(Fixture.gpgClearsigned, path: "g").signature)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bi-gpgv-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyring = directory.appendingPathComponent("key.gpg")
        try Data(base64Encoded: Fixture.gpgPublicKeyBase64)!.write(to: keyring)
        let sig = directory.appendingPathComponent("sig.asc")
        try Data(signature.armoredSignature.utf8).write(to: sig)

        func gpgv(_ text: [UInt8]) throws -> Int32 {
            let data = directory.appendingPathComponent("data")
            try Data(text).write(to: data)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/gpgv")
            process.arguments = ["--homedir", directory.path, "--keyring", keyring.path, sig.path, data.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        #expect(try gpgv(signature.canonicalSignedText) == 0)
        var tampered = signature.canonicalSignedText
        tampered[0] = UInt8(ascii: "f")
        #expect(try gpgv(tampered) != 0)
        // GnuPG keeps trailing blanks of detached text, so the plain signed text fails here.
        #expect(try gpgv(signature.signedText) != 0)
    }
}
