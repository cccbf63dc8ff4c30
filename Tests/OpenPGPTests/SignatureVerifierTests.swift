import Foundation
import OpenPGP
import Testing

private let buildinfo = """
    Format: 1.0
    Source: hello
    Binary: hello
    Architecture: amd64
    Version: 2.10-3
    Checksums-Sha256:
     2d8d6a4d7e4a3f6b8a6cfd2b4c1e6fd0e8f3f0f0a1b2c3d4e5f6a7b8c9d0e1f2 53412 hello_2.10-3_amd64.deb
    -not a field, dash-escaped by gpg
    Trailing-Blanks: removed by canonicalization   \t
    Build-Date: Sat, 21 Nov 2026 12:00:00 +0000

    """

/// The `message` of the error `body` throws, or nil (and a recorded failure) if it does not throw one.
private func failure(_ body: () throws -> Void) -> OpenPGPError? {
    #expect(throws: OpenPGPError.self) { try body() }
}

/// A signer's home with one key, and a verifier home (the "keyring") that trusts it.
private struct Setup {
    var signerHome: String
    var keyringHome: String
    var signer: GnuPGScratch.Key
    var verifier: SignatureVerifier

    init(_ scratch: GnuPGScratch, userID: String = "Test Signer <signer@example.org>") throws {
        signerHome = try scratch.makeHome("s")
        keyringHome = try scratch.makeHome("k")
        signer = try scratch.generateKey(in: signerHome, userID: userID)
        try scratch.copyPublicKey(signer.fingerprint, from: signerHome, to: keyringHome)
        verifier = try SignatureVerifier(home: keyringHome)
    }
}

@Suite("SignatureVerifier")
struct SignatureVerifierTests {
    @Test("a good signature by a key in the keyring reports the key's fingerprint, user ID and date")
    func goodSignature() throws {
        try GnuPGScratch.with { scratch in
            let setup = try Setup(scratch)
            let before = Date().addingTimeInterval(-2)
            let split = try SplitCleartext(scratch.clearsign(buildinfo, in: setup.signerHome, by: [setup.signer.fingerprint]))
            let after = Date().addingTimeInterval(2)
            // The fingerprint the keyring itself lists, not the signer's copy.
            let listed = try scratch.key(in: setup.keyringHome, userID: "signer@example.org")

            let signature = try setup.verifier.verify(signedText: split.canonicalText, armoredSignature: split.armoredSignature)

            #expect(signature.fingerprint == listed.fingerprint)
            #expect(signature.fingerprint.count == 40)
            #expect(signature.userID == "Test Signer <signer@example.org>")
            let created = try #require(signature.created)
            #expect(created >= before.addingTimeInterval(-1) && created <= after)
        }
    }

    @Test("trailing blanks must be removed from the signed text; line endings GnuPG canonicalizes itself")
    func canonicalTextMatters() throws {
        try GnuPGScratch.with { scratch in
            let setup = try Setup(scratch)
            let split = try SplitCleartext(scratch.clearsign(buildinfo, in: setup.signerHome, by: [setup.signer.fingerprint]))
            // The signature is a text signature (class 0x01): GnuPG turns LF into CRLF itself.
            let lf = split.canonicalText.filter { $0 != UInt8(ascii: "\r") }
            #expect(lf != split.canonicalText)
            #expect(try setup.verifier.verify(signedText: lf, armoredSignature: split.armoredSignature).fingerprint
                == setup.signer.fingerprint)
            // But it does not strip trailing blanks from detached text: the text as written fails.
            var asWritten = Array(buildinfo.utf8)
            asWritten.removeLast()  // the line break before -----BEGIN PGP SIGNATURE----- is not signed
            #expect(asWritten.contains(UInt8(ascii: "\t")))
            let error = failure { _ = try setup.verifier.verify(signedText: asWritten, armoredSignature: split.armoredSignature) }
            #expect(error?.message.hasPrefix("bad signature by \(setup.signer.keyID)") == true)
        }
    }

    @Test("text changed by one byte gives a bad-signature error naming the key and its user ID")
    func alteredText() throws {
        try GnuPGScratch.with { scratch in
            let setup = try Setup(scratch)
            let split = try SplitCleartext(scratch.clearsign(buildinfo, in: setup.signerHome, by: [setup.signer.fingerprint]))
            var altered = split.canonicalText
            let index = try #require(altered.firstIndex(of: UInt8(ascii: "2")))  // in "2.10-3"
            altered[index] = UInt8(ascii: "3")

            let error = failure { _ = try setup.verifier.verify(signedText: altered, armoredSignature: split.armoredSignature) }

            #expect(error?.operation == "verify signature")
            #expect(error?.message.hasPrefix("bad signature by \(setup.signer.keyID) (Test Signer <signer@example.org>)") == true)
            #expect(error?.description.hasPrefix("verify signature: bad signature by ") == true)
        }
    }

    @Test("a signature by a key not in the keyring names the key ID and the keyring")
    func unknownKey() throws {
        try GnuPGScratch.with { scratch in
            let setup = try Setup(scratch)
            let stranger = try scratch.generateKey(in: setup.signerHome, userID: "Stranger <stranger@example.org>")
            let split = try SplitCleartext(scratch.clearsign(buildinfo, in: setup.signerHome, by: [stranger.fingerprint]))

            let error = failure { _ = try setup.verifier.verify(signedText: split.canonicalText, armoredSignature: split.armoredSignature) }

            let message = try #require(error?.message)
            #expect(message.hasPrefix("signed by unknown key "))
            #expect(message.contains(stranger.keyID))
            #expect(message.hasSuffix("(not in \(setup.keyringHome))"))
        }
    }

    @Test("every signature must be good: one known and one unknown signer fails")
    func oneOfTwoSignersUnknown() throws {
        try GnuPGScratch.with { scratch in
            let setup = try Setup(scratch)
            let stranger = try scratch.generateKey(in: setup.signerHome, userID: "Stranger <stranger@example.org>")
            let split = try SplitCleartext(
                scratch.clearsign(buildinfo, in: setup.signerHome, by: [setup.signer.fingerprint, stranger.fingerprint]))
            #expect(split.armoredSignature.contains("-----BEGIN PGP SIGNATURE-----"))

            let error = failure { _ = try setup.verifier.verify(signedText: split.canonicalText, armoredSignature: split.armoredSignature) }

            #expect(error?.message.hasPrefix("signed by unknown key ") == true)
            #expect(error?.message.contains(stranger.keyID) == true)
            // Both keys known: good, and the first signer is reported.
            try scratch.copyPublicKey(stranger.fingerprint, from: setup.signerHome, to: setup.keyringHome)
            let signature = try setup.verifier.verify(signedText: split.canonicalText, armoredSignature: split.armoredSignature)
            #expect([setup.signer.fingerprint, stranger.fingerprint].contains(signature.fingerprint))
        }
    }

    @Test("a signature made while the key was valid, by a key that has expired since, is rejected")
    func expiredKey() throws {
        try GnuPGScratch.with { scratch in
            let signerHome = try scratch.makeHome("s")
            let keyringHome = try scratch.makeHome("k")
            // Made ten days ago with a one-day lifetime, signed an hour after it was made.
            let made = Int(Date().timeIntervalSince1970) - 10 * 86_400
            let old = try scratch.generateKey(in: signerHome, userID: "Old Signer <old@example.org>", expire: "1d", fakedTime: made)
            try scratch.copyPublicKey(old.fingerprint, from: signerHome, to: keyringHome)
            let split = try SplitCleartext(scratch.clearsign(buildinfo, in: signerHome, by: [old.fingerprint], fakedTime: made + 3600))
            let verifier = try SignatureVerifier(home: keyringHome)

            let error = failure { _ = try verifier.verify(signedText: split.canonicalText, armoredSignature: split.armoredSignature) }

            let expiry = Date(timeIntervalSince1970: TimeInterval(made + 86_400)).ISO8601Format()
            #expect(error?.message == "signature made by expired key \(old.fingerprint) (Old Signer <old@example.org>) (expired \(expiry))")
        }
    }

    @Test("a signature by a key revoked in the keyring is rejected")
    func revokedKey() throws {
        try GnuPGScratch.with { scratch in
            let setup = try Setup(scratch)
            let split = try SplitCleartext(scratch.clearsign(buildinfo, in: setup.signerHome, by: [setup.signer.fingerprint]))
            _ = try setup.verifier.verify(signedText: split.canonicalText, armoredSignature: split.armoredSignature)
            // gpg stores a revocation certificate for each new key, its armor line disarmed with ':'.
            let stored = try String(
                contentsOfFile: "\(setup.signerHome)/openpgp-revocs.d/\(setup.signer.fingerprint).rev", encoding: .utf8)
            let certificate = scratch.newFile(".rev")
            try stored.replacingOccurrences(of: ":-----BEGIN PGP PUBLIC KEY BLOCK-----", with: "-----BEGIN PGP PUBLIC KEY BLOCK-----")
                .write(toFile: certificate, atomically: false, encoding: .utf8)
            try scratch.gpg(setup.keyringHome, ["--import", certificate])

            let error = failure { _ = try setup.verifier.verify(signedText: split.canonicalText, armoredSignature: split.armoredSignature) }

            #expect(error?.message == "signature made by revoked key \(setup.signer.fingerprint) (Test Signer <signer@example.org>)")
        }
    }

    @Test("verification needs no trust-db and creates none in the keyring home")
    func noTrustDB() throws {
        try GnuPGScratch.with { scratch in
            let setup = try Setup(scratch)
            let split = try SplitCleartext(scratch.clearsign(buildinfo, in: setup.signerHome, by: [setup.signer.fingerprint]))
            let trustDB = setup.keyringHome + "/trustdb.gpg"
            #expect(FileManager.default.fileExists(atPath: trustDB))  // made by the import
            try FileManager.default.removeItem(atPath: trustDB)

            let signature = try setup.verifier.verify(signedText: split.canonicalText, armoredSignature: split.armoredSignature)

            #expect(signature.fingerprint == setup.signer.fingerprint)
            #expect(!FileManager.default.fileExists(atPath: trustDB))
        }
    }

    @Test("a signature by a signing subkey reports the primary key's fingerprint")
    func subkeySignature() throws {
        try GnuPGScratch.with { scratch in
            let signerHome = try scratch.makeHome("s")
            let keyringHome = try scratch.makeHome("k")
            let key = try scratch.generateKey(in: signerHome, userID: "Zoë Sub-Signer 100% <sub@example.org>")
            try scratch.gpg(signerHome, ["--quick-add-key", key.fingerprint, "ed25519", "sign", "0"])
            try scratch.copyPublicKey(key.fingerprint, from: signerHome, to: keyringHome)
            // gpg signs with the newest signing subkey ('!' would force one; none is given).
            let split = try SplitCleartext(scratch.clearsign(buildinfo, in: signerHome, by: [key.fingerprint]))
            let packets = try scratch.run("/usr/bin/gpg", ["--homedir", keyringHome, "--batch", "--list-packets", scratch.write(split.armoredSignature)])
            #expect(!packets.contains("keyid \(key.keyID)"))  // really made by the subkey

            let signature = try SignatureVerifier(home: keyringHome).verify(
                signedText: split.canonicalText, armoredSignature: split.armoredSignature)

            #expect(signature.fingerprint == key.fingerprint)
            #expect(signature.userID == "Zoë Sub-Signer 100% <sub@example.org>")
        }
    }

    @Test(
        "armor that holds no signature gives a clear error",
        arguments: [
            "",
            "hello, I am not a signature\n",
            "-----BEGIN PGP SIGNATURE-----\n\nbm90IGEgc2lnbmF0dXJlIHBhY2tldA==\n=AAAA\n-----END PGP SIGNATURE-----\n",
            "-----BEGIN PGP SIGNATURE-----\n\n!!! garbage !!!\n-----END PGP SIGNATURE-----\n",
        ])
    func garbageArmor(armor: String) throws {
        try GnuPGScratch.with { scratch in
            let setup = try Setup(scratch)

            let error = failure { _ = try setup.verifier.verify(signedText: Array("text".utf8), armoredSignature: armor) }

            let message = try #require(error?.message)
            #expect(
                message.hasPrefix("no signature found")
                    || message.hasPrefix("the armored signature is not a valid OpenPGP signature"),
                "\(message)")
        }
    }

    @Test("a missing home, a file, or a home without keyring is refused, naming the path")
    func badHome() throws {
        try GnuPGScratch.with { scratch in
            let missing = scratch.root + "/no-such-home"
            #expect(failure { _ = try SignatureVerifier(home: missing) }
                == OpenPGPError(operation: "open keyring", message: "GnuPG home \(missing) does not exist"))

            let file = try scratch.write("not a directory")
            #expect(failure { _ = try SignatureVerifier(home: file) }?.message == "GnuPG home \(file) is not a directory")

            let empty = try scratch.makeHome("e")
            #expect(failure { _ = try SignatureVerifier(home: empty) }?.message.hasPrefix(
                "GnuPG home \(empty) has no public keyring (pubring.kbx or pubring.gpg)") == true)
        }
    }

    @Test("one verifier serves several threads at once")
    func concurrentVerification() throws {
        try GnuPGScratch.with { scratch in
            let setup = try Setup(scratch)
            let split = try SplitCleartext(scratch.clearsign(buildinfo, in: setup.signerHome, by: [setup.signer.fingerprint]))
            var changed = split.canonicalText
            changed[0] ^= 1
            let altered = changed
            let verifier = setup.verifier
            let good = split.canonicalText
            let armor = split.armoredSignature
            let results = ResultBox()
            DispatchQueue.concurrentPerform(iterations: 8) { index in
                let text = index % 2 == 0 ? good : altered
                do throws(OpenPGPError) {
                    results.append(index, .success(try verifier.verify(signedText: text, armoredSignature: armor)))
                } catch {
                    results.append(index, .failure(error))
                }
            }
            let all = results.sorted()
            #expect(all.count == 8)
            for (index, result) in all {
                switch result {
                case .success(let signature):
                    #expect(index % 2 == 0)
                    #expect(signature.fingerprint == setup.signer.fingerprint)
                case .failure(let error):
                    #expect(index % 2 == 1, "\(error)")
                    #expect(error.message.hasPrefix("bad signature by "))
                }
            }
        }
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [(Int, Result<VerifiedSignature, OpenPGPError>)] = []

    func append(_ index: Int, _ result: Result<VerifiedSignature, OpenPGPError>) {
        lock.withLock { results.append((index, result)) }
    }

    func sorted() -> [(Int, Result<VerifiedSignature, OpenPGPError>)] {
        lock.withLock { results.sorted { $0.0 < $1.0 } }
    }
}

extension GnuPGScratch {
    /// Writes `text` to a new file in the scratch directory and returns its path.
    func write(_ text: String) throws -> String {
        let path = newFile(".txt")
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }
}
