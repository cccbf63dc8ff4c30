import Foundation
import OpenPGP
import Testing

/// Checks `material` against one key entry of securesystemslib's export_pubkey output.
private func expectMatches(_ material: PublicKeyMaterial, _ exported: [String: Any]) {
    #expect(exported["keyid"] as? String == material.fingerprint)
    #expect(exported["creation_time"] as? Int == material.creationTime)
    #expect(exported["validity_period"] as? Int == material.validitySeconds)
    let keyval = exported["keyval"] as? [String: Any]
    let public_ = keyval?["public"] as? [String: String]
    switch material.parameters {
    case .rsa(let n, let e):
        #expect(exported["type"] as? String == "rsa")
        #expect(public_ == ["n": hex(n), "e": hex(e)])
    case .dsa(let p, let q, let g, let y):
        #expect(exported["type"] as? String == "dsa")
        #expect(public_ == ["p": hex(p), "q": hex(q), "g": hex(g), "y": hex(y)])
    case .eddsa(let q):
        #expect(exported["type"] as? String == "eddsa")
        #expect(public_ == ["q": hex(q)])
    }
}

/// Exports `fingerprint` from `home` with KeyExporter and with securesystemslib and checks they agree.
@discardableResult
private func exportBoth(_ scratch: GnuPGScratch, _ fingerprint: String, home: String) throws -> (ExportedKey, [String: Any]) {
    let exported = try KeyExporter(home: home).export(fingerprint: fingerprint)
    let reference = try scratch.exportPubkey(fingerprint, home: home)
    expectMatches(exported.primary, reference)
    let subkeys = reference["subkeys"] as? [String: [String: Any]] ?? [:]
    #expect(Set(exported.subkeys.map(\.fingerprint)) == Set(subkeys.keys))
    for subkey in exported.subkeys {
        if let entry = subkeys[subkey.fingerprint] { expectMatches(subkey, entry) }
    }
    return (exported, reference)
}

@Suite("KeyExporter")
struct KeyExporterTests {
    @Test("an RSA-3072 key exports as securesystemslib exports it")
    func rsa() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("k")
            let key = try scratch.generateKey(in: home, userID: "RSA <rsa@example.org>", algorithm: "rsa3072")
            let (exported, reference) = try exportBoth(scratch, key.fingerprint, home: home)

            #expect(exported.primary.fingerprint == key.fingerprint.lowercased())
            #expect(exported.subkeys.isEmpty)
            #expect(exported.primary.validitySeconds == nil)
            #expect(reference["subkeys"] == nil)
            guard case .rsa(let n, let e) = exported.primary.parameters else {
                Issue.record("not RSA: \(exported.primary.parameters)")
                return
            }
            #expect(n.count == 384)
            #expect(e == [0x01, 0x00, 0x01])
            // securesystemslib writes the MPI bytes as they are: e keeps its leading zero nibble.
            #expect((reference["keyval"] as? [String: Any]).flatMap { $0["public"] as? [String: String] }?["e"] == "010001")
        }
    }

    @Test("an Ed25519 key exports its 32-byte point without GnuPG's 0x40 prefix")
    func ed25519() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("k")
            let key = try scratch.generateKey(in: home, userID: "Ed <ed@example.org>", algorithm: "ed25519")
            let (exported, _) = try exportBoth(scratch, key.fingerprint.lowercased(), home: home)

            guard case .eddsa(let q) = exported.primary.parameters else {
                Issue.record("not EdDSA: \(exported.primary.parameters)")
                return
            }
            #expect(q.count == 32)
        }
    }

    @Test("a DSA-2048 key exports p, q, g and y")
    func dsa() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("k")
            let key = try scratch.generateKey(in: home, userID: "DSA <dsa@example.org>", algorithm: "dsa2048")
            let (exported, _) = try exportBoth(scratch, key.fingerprint, home: home)

            guard case .dsa(let p, let q, _, _) = exported.primary.parameters else {
                Issue.record("not DSA: \(exported.primary.parameters)")
                return
            }
            #expect(p.count == 256)
            #expect(q.count == 28 || q.count == 32)
        }
    }

    @Test("an RSA primary key exports its signing subkeys with their expiry, also when asked for by a subkey fingerprint")
    func signingSubkey() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("k")
            let key = try scratch.generateKey(in: home, userID: "Sub <sub@example.org>", algorithm: "rsa3072", usage: "cert")
            let forever = try scratch.addSubkey(to: key, in: home, algorithm: "rsa2048")
            let expiring = try scratch.addSubkey(to: key, in: home, algorithm: "rsa2048", expire: "2y")
            let (exported, _) = try exportBoth(scratch, key.fingerprint, home: home)

            #expect(exported.subkeys.map(\.fingerprint) == [forever.lowercased(), expiring.lowercased()])
            #expect(exported.subkeys[0].validitySeconds == nil)
            #expect((730 * 86_400...731 * 86_400).contains(exported.subkeys[1].validitySeconds ?? 0))
            #expect(try KeyExporter(home: home).export(fingerprint: expiring) == exported)
        }
    }

    @Test("a key with an expiry exports its validity period")
    func expiry() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("k")
            let key = try scratch.generateKey(in: home, userID: "Year <year@example.org>", algorithm: "rsa2048", expire: "1y")
            let (exported, reference) = try exportBoth(scratch, key.fingerprint, home: home)

            #expect((365 * 86_400...366 * 86_400).contains(exported.primary.validitySeconds ?? 0))
            #expect(reference["validity_period"] as? Int == exported.primary.validitySeconds)
        }
    }

    @Test("Ed25519 keys keep their expiry and Ed25519 subkeys, which securesystemslib 0.26 drops")
    func ed25519SelfSignatures() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("k")
            let key = try scratch.generateKey(in: home, userID: "Ed <ed@example.org>", algorithm: "ed25519", usage: "cert", expire: "1y")
            let subkey = try scratch.addSubkey(to: key, in: home, algorithm: "ed25519")

            let exported = try KeyExporter(home: home).export(fingerprint: key.fingerprint)
            let reference = try scratch.exportPubkey(key.fingerprint, home: home)

            // securesystemslib hashes a key packet with the header it has (0x98 and a 1-byte length for these
            // 51-byte packets) instead of 0x99 and a 2-byte length (RFC 4880 5.2.4), so no self-signature of an
            // Ed25519 key verifies there: no validity_period and no Ed25519 subkeys.
            #expect(reference["validity_period"] == nil)
            #expect(reference["subkeys"] == nil)
            #expect(exported.primary.fingerprint == reference["keyid"] as? String)
            #expect(exported.primary.creationTime == reference["creation_time"] as? Int)
            #expect((365 * 86_400...366 * 86_400).contains(exported.primary.validitySeconds ?? 0))
            #expect(exported.subkeys.map(\.fingerprint) == [subkey.lowercased()])
        }
    }

    @Test("subkeys that may not sign are left out, unlike securesystemslib, which exports an RSA encryption subkey too")
    func encryptionSubkey() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("k")
            let key = try scratch.generateKey(in: home, userID: "Enc <enc@example.org>", algorithm: "rsa3072")
            let encryption = try scratch.addSubkey(to: key, in: home, algorithm: "rsa3072", usage: "encr")

            let exported = try KeyExporter(home: home).export(fingerprint: key.fingerprint)
            let reference = try scratch.exportPubkey(key.fingerprint, home: home)

            expectMatches(exported.primary, reference)
            #expect(exported.subkeys.isEmpty)
            #expect((reference["subkeys"] as? [String: Any]).map { Array($0.keys) } == [encryption.lowercased()])
        }
    }

    @Test("a malformed or unknown fingerprint, and a key in-toto cannot use, are refused")
    func unusableKey() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("k")
            let ecdsa = try scratch.generateKey(in: home, userID: "EC <ec@example.org>", algorithm: "nistp256")
            let exporter = try KeyExporter(home: home)
            let unknown = String(repeating: "0", count: 40)

            #expect(openPGPFailure { _ = try exporter.export(fingerprint: ecdsa.fingerprint) }?.message
                == "key \(ecdsa.fingerprint.lowercased()) uses ECDSA; in-toto accepts only RSA, DSA and EdDSA (Ed25519) keys")

            #expect(openPGPFailure { _ = try exporter.export(fingerprint: unknown) }
                == OpenPGPError(operation: "export public key", message: "no key \(unknown) in \(home)"))
            #expect(openPGPFailure { _ = try exporter.export(fingerprint: "ABCD") }?.message
                == "'ABCD' is not a key fingerprint (40 hex digits)")
        }
    }
}
