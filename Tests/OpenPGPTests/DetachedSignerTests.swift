import Foundation
import OpenPGP
import Testing

/// The canonical bytes of a rebuild link, with a raw newline (text mode would change what is hashed).
private let link = Array(
    (#"{"_type":"link","byproducts":{"stdout":"line 1"# + "\n"
        + #"line 2"},"command":[],"environment":{},"materials":{},"name":"rebuild","products":{}}"#).utf8)

@Suite("DetachedSigner")
struct DetachedSignerTests {
    /// Signs `link` and checks the packet as in-toto needs it: binary, SHA-256, issued by `issuer`, and good for gpg.
    private func signAndCheck(
        _ scratch: GnuPGScratch, home: String, configured: String, issuer: String, algorithm: UInt8
    ) throws {
        let signer = try DetachedSigner(home: home, fingerprint: configured)
        #expect(signer.fingerprint == configured.lowercased())

        let packet = try signer.sign(link)

        #expect(packet.signatureType == 0)
        #expect(packet.hashAlgorithm == 8)
        #expect(packet.publicKeyAlgorithm == algorithm)
        #expect(packet.issuerFingerprint.map(hex) == issuer.lowercased())
        #expect(Array(packet.hashedPart.prefix(4)) == [4, 0, algorithm, 8])
        #expect(packet.mpis.count == (algorithm == 1 ? 1 : 2))
        #expect(try SignaturePacket(parsing: packet.bytes) == packet)
        try scratch.verify(packet.bytes, over: link, in: home)
        #expect(throws: GnuPGScratch.CommandError.self) { try scratch.verify(packet.bytes, over: link + [0x0A], in: home) }
    }

    @Test("an RSA-3072 key with 'personal-digest-preferences SHA256' signs binary SHA-256 that gpg verifies")
    func rsa() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            try scratch.preferSHA256(in: home)
            let key = try scratch.generateKey(in: home, userID: "RSA <rsa@example.org>", algorithm: "rsa3072")
            try signAndCheck(scratch, home: home, configured: key.fingerprint, issuer: key.fingerprint, algorithm: 1)
        }
    }

    @Test("an Ed25519 key signs SHA-256 without any gpg.conf")
    func ed25519() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            let key = try scratch.generateKey(in: home, userID: "Ed <ed@example.org>", algorithm: "ed25519")
            try signAndCheck(scratch, home: home, configured: key.fingerprint.lowercased(), issuer: key.fingerprint, algorithm: 22)
        }
    }

    @Test("with an RSA primary key and a signing subkey, the subkey signs whether the primary key or the subkey is configured")
    func signingSubkey() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            try scratch.preferSHA256(in: home)
            let key = try scratch.generateKey(in: home, userID: "Sub <sub@example.org>", algorithm: "rsa3072", usage: "cert")
            let subkey = try scratch.addSubkey(to: key, in: home, algorithm: "rsa3072")
            try signAndCheck(scratch, home: home, configured: key.fingerprint, issuer: subkey, algorithm: 1)
            try signAndCheck(scratch, home: home, configured: subkey, issuer: subkey, algorithm: 1)
        }
    }

    @Test("a configured older signing subkey signs itself; the configured primary key signs with the newest one")
    func olderSubkeyConfigured() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            let key = try scratch.generateKey(
                in: home, userID: "Two <two@example.org>", algorithm: "ed25519", usage: "cert",
                fakedTime: Int(Date().timeIntervalSince1970) - 7200)
            let older = try scratch.addSubkey(to: key, in: home, algorithm: "ed25519", fakedTime: Int(Date().timeIntervalSince1970) - 3600)
            let newer = try scratch.addSubkey(to: key, in: home, algorithm: "ed25519")

            try signAndCheck(scratch, home: home, configured: older, issuer: older, algorithm: 22)
            try signAndCheck(scratch, home: home, configured: key.fingerprint, issuer: newer, algorithm: 22)
        }
    }

    @Test("an RSA key without 'personal-digest-preferences SHA256', for which gpg itself signs SHA-512, is refused by init")
    func sha512Refused() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            let key = try scratch.generateKey(in: home, userID: "RSA <rsa@example.org>", algorithm: "rsa3072")

            let error = openPGPFailure { _ = try DetachedSigner(home: home, fingerprint: key.fingerprint) }

            #expect(error?.operation == "open signing key")
            #expect(error?.message.contains("digest SHA512") == true, "\(String(describing: error))")
            #expect(error?.message.contains("put 'personal-digest-preferences SHA256' into \(home)/gpg.conf") == true)
        }
    }

    @Test("a DSA-2048 key signs SHA-256 that gpg verifies")
    func dsa() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            let key = try scratch.generateKey(in: home, userID: "DSA <dsa@example.org>", algorithm: "dsa2048")
            try signAndCheck(scratch, home: home, configured: key.fingerprint, issuer: key.fingerprint, algorithm: 17)
        }
    }

    @Test("the packet is laid out as gpg 2.2 lays out its own detached signatures")
    func layoutMatchesGnuPG() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            let key = try scratch.generateKey(in: home, userID: "Ed <ed@example.org>", algorithm: "ed25519")
            let ours = try DetachedSigner(home: home, fingerprint: key.fingerprint).sign(link)
            let input = try scratch.write(bytes: link)
            let output = scratch.newFile(".sig")
            try scratch.gpg(home, ["--output", output, "--detach-sign", input])
            let theirs = try SignaturePacket(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: output))))

            // Equal but for the creation time (the hashed part's last 4 bytes), the left 16 bits and the MPIs:
            // header, hashed part, unhashed area (2 + 10 bytes after the hashed part and the 2-byte header).
            #expect(ours.hashedPart.dropLast(4) == theirs.hashedPart.dropLast(4))
            let unhashed = 2 + ours.hashedPart.count
            #expect(ours.bytes[..<2] == theirs.bytes[..<2])
            #expect(ours.bytes[unhashed..<unhashed + 12] == theirs.bytes[unhashed..<unhashed + 12])
        }
    }

    @Test("a malformed or unknown fingerprint is refused, naming it and the home")
    func unknownKey() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            _ = try scratch.generateKey(in: home, userID: "Ed <ed@example.org>", algorithm: "ed25519")
            let unknown = String(repeating: "ab", count: 20)

            #expect(openPGPFailure { _ = try DetachedSigner(home: home, fingerprint: unknown) }
                == OpenPGPError(operation: "open signing key", message: "no key \(unknown) in \(home)"))
            #expect(openPGPFailure { _ = try DetachedSigner(home: home, fingerprint: "0xABCD") }?.message
                == "'0xABCD' is not a key fingerprint (40 hex digits), for GnuPG home \(home)")
            #expect(openPGPFailure { _ = try DetachedSigner(home: home + "/missing", fingerprint: unknown) }?.message
                == "GnuPG home \(home)/missing does not exist")
        }
    }

    @Test("a key whose secret part is not in the home is refused")
    func publicKeyOnly() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            let other = try scratch.makeHome("p")
            let key = try scratch.generateKey(in: home, userID: "Ed <ed@example.org>", algorithm: "ed25519")
            try scratch.copyPublicKey(key.fingerprint, from: home, to: other)

            let error = openPGPFailure { _ = try DetachedSigner(home: other, fingerprint: key.fingerprint) }

            #expect(error?.message == "key \(key.fingerprint.lowercased()) in \(other) has no secret key: only the public key is in this home")
        }
    }

    @Test("an expired key is refused when the signer is made")
    func expiredKey() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            let made = Int(Date().timeIntervalSince1970) - 10 * 86_400
            let key = try scratch.generateKey(in: home, userID: "Old <old@example.org>", algorithm: "ed25519", expire: "1d", fakedTime: made)

            let error = openPGPFailure { _ = try DetachedSigner(home: home, fingerprint: key.fingerprint) }

            let expiry = Date(timeIntervalSince1970: TimeInterval(made + 86_400)).ISO8601Format()
            #expect(error?.message == "key \(key.fingerprint.lowercased()) in \(home) expired on \(expiry)")
        }
    }

    @Test("a key that expires after the signer was made is refused by sign()")
    func expiresAfterInit() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            // Made (by the faked clock) a day minus a few seconds ago, with a one-day lifetime.
            let expiry = Int(Date().timeIntervalSince1970) + 6
            let key = try scratch.generateKey(
                in: home, userID: "Brief <brief@example.org>", algorithm: "ed25519", expire: "1d", fakedTime: expiry - 86_400)
            let signer = try DetachedSigner(home: home, fingerprint: key.fingerprint)
            _ = try signer.sign(link)
            Thread.sleep(forTimeInterval: max(0, TimeInterval(expiry) + 1.5 - Date().timeIntervalSince1970))

            let error = openPGPFailure { _ = try signer.sign(link) }

            let expired = Date(timeIntervalSince1970: TimeInterval(expiry)).ISO8601Format()
            #expect(error == OpenPGPError(operation: "sign", message: "key \(key.fingerprint.lowercased()) in \(home) expired on \(expired)"))
        }
    }

    @Test("a revoked key is refused by init, and by sign() when it was revoked after init")
    func revokedKey() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            let key = try scratch.generateKey(in: home, userID: "Ed <ed@example.org>", algorithm: "ed25519")
            let signer = try DetachedSigner(home: home, fingerprint: key.fingerprint)
            try scratch.revoke(key, in: home)

            #expect(openPGPFailure { _ = try DetachedSigner(home: home, fingerprint: key.fingerprint) }?.message
                == "key \(key.fingerprint.lowercased()) in \(home) is revoked")
            #expect(openPGPFailure { _ = try signer.sign(link) }
                == OpenPGPError(operation: "sign", message: "key \(key.fingerprint.lowercased()) in \(home) is revoked"))
        }
    }

    @Test("a disabled key is refused")
    func disabledKey() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            let key = try scratch.generateKey(in: home, userID: "Ed <ed@example.org>", algorithm: "ed25519")
            try scratch.gpg(home, ["--edit-key", key.fingerprint, "disable", "quit"])

            #expect(openPGPFailure { _ = try DetachedSigner(home: home, fingerprint: key.fingerprint) }?.message
                == "key \(key.fingerprint.lowercased()) in \(home) is disabled")
        }
    }

    @Test("a certify-only key without signing subkey, and an ECDSA key, are refused")
    func cannotSign() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            let certify = try scratch.generateKey(in: home, userID: "Cert <cert@example.org>", algorithm: "ed25519", usage: "cert")
            let ecdsa = try scratch.generateKey(in: home, userID: "EC <ec@example.org>", algorithm: "nistp256")

            #expect(openPGPFailure { _ = try DetachedSigner(home: home, fingerprint: certify.fingerprint) }?.message
                == "key \(certify.fingerprint.lowercased()) in \(home) cannot sign: neither it nor a valid subkey has the signing capability")
            #expect(openPGPFailure { _ = try DetachedSigner(home: home, fingerprint: ecdsa.fingerprint) }?.message
                == "key \(ecdsa.fingerprint.lowercased()) in \(home) uses ECDSA nistp256; in-toto accepts only RSA, DSA and EdDSA (Ed25519) keys")
        }
    }

    @Test("a key that needs a passphrase fails at once instead of waiting for a pinentry, in init and in sign()")
    func passphrase() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            try scratch.run("/usr/bin/gpg", [
                "--homedir", home, "--batch", "--pinentry-mode", "loopback", "--passphrase", "secret",
                "--quick-gen-key", "Locked <locked@example.org>", "ed25519", "sign", "0",
            ])
            let key = try scratch.key(in: home, userID: "locked@example.org")
            // One signature with the passphrase leaves it in the agent's cache, so the signer opens; killing the
            // agent then forgets it, and sign() starts a new agent, which needs the passphrase.
            try scratch.run("/usr/bin/gpg", [
                "--homedir", home, "--batch", "--pinentry-mode", "loopback", "--passphrase", "secret",
                "--output", scratch.newFile(".sig"), "--detach-sign", try scratch.write(bytes: link),
            ])
            let signer = try DetachedSigner(home: home, fingerprint: key.fingerprint)
            try scratch.run("/usr/bin/gpgconf", ["--homedir", home, "--kill", "gpg-agent"])

            let error = openPGPFailure { _ = try signer.sign(link) }

            let refusal = "the secret key needs a passphrase and no pinentry may ask for it (No pinentry)"
            #expect(error?.message == "key \(key.fingerprint.lowercased()) in \(home): gpg-agent failed to sign (PKSIGN): \(refusal)")
            #expect(openPGPFailure { _ = try DetachedSigner(home: home, fingerprint: key.fingerprint) }
                == OpenPGPError(
                    operation: "open signing key",
                    message: "key \(key.fingerprint.lowercased()) in \(home): gpg failed to sign: \(refusal)"))
        }
    }

    @Test("one signer serves several threads at once")
    func concurrentSigning() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            let key = try scratch.generateKey(in: home, userID: "Ed <ed@example.org>", algorithm: "ed25519")
            let signer = try DetachedSigner(home: home, fingerprint: key.fingerprint)
            let packets = PacketBox()
            DispatchQueue.concurrentPerform(iterations: 6) { index in
                packets.append(index, Result { () throws(OpenPGPError) in try signer.sign(link + [UInt8(index)]) })
            }
            let all = packets.sorted()
            #expect(all.count == 6)
            for (index, result) in all {
                let packet = try result.get()
                try scratch.verify(packet.bytes, over: link + [UInt8(index)], in: home)
            }
        }
    }
}

private final class PacketBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [(Int, Result<SignaturePacket, OpenPGPError>)] = []

    func append(_ index: Int, _ result: Result<SignaturePacket, OpenPGPError>) {
        lock.withLock { results.append((index, result)) }
    }

    func sorted() -> [(Int, Result<SignaturePacket, OpenPGPError>)] {
        lock.withLock { results.sorted { $0.0 < $1.0 } }
    }
}
