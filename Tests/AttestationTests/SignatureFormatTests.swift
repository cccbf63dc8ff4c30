import Foundation
import OpenPGP
import Testing
@testable import Attestation
import Hexadecimal

@Suite struct SignatureFormatTests {
    /// GPGSignature(packet:) takes what the verifier needs and refuses packets it would misread.
    @Test func signatureObjectsFollowSecuresystemslib() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let home = try scratch.newHome()
        let fingerprint = try scratch.generateKey(in: home, userID: "E <e@example.org>", algorithm: "ed25519")
        let packet = try DetachedSigner(home: home, fingerprint: fingerprint).sign(Array("x".utf8))
        let signature = try GPGSignature(packet: packet)
        #expect(signature.keyid == fingerprint)
        #expect(signature.otherHeaders == Hex.lowercase(packet.hashedPart))
        #expect(signature.signature.count == 128)

        var modified = packet
        modified.hashAlgorithm = 10
        #expect(throws: AttestationError.self) { try GPGSignature(packet: modified) }
        modified = packet
        modified.signatureType = 1
        #expect(throws: AttestationError.self) { try GPGSignature(packet: modified) }
        modified = packet
        modified.issuerFingerprint = nil
        #expect(throws: AttestationError.self) { try GPGSignature(packet: modified) }

        modified = packet
        modified.mpis = [[0x01], [0x02]]
        #expect(try GPGSignature(packet: modified).signature == String(repeating: "0", count: 62) + "01" + String(repeating: "0", count: 62) + "02")
        modified.publicKeyAlgorithm = 17
        modified.mpis = [[0x80, 0x01], [0x00, 0x01]]
        #expect(try GPGSignature(packet: modified).signature == "30080203008001020101")
        modified.publicKeyAlgorithm = 1
        modified.mpis = [[0x00, 0x7F]]
        #expect(try GPGSignature(packet: modified).signature == "007f")
    }

    @Test func keysExpireAndDSAIsRefusedWithAReason() throws {
        let signature = GPGSignature(keyid: String(repeating: "b", count: 40), otherHeaders: "04", signature: "00")
        let expiring = GPGKey(keyid: signature.keyid, publicValues: .eddsa(q: String(repeating: "0", count: 64)), creationTime: 1000, validityPeriod: 10)
        #expect(throws: SignatureRejection.keyExpired(keyid: signature.keyid, expiredAt: 1010)) {
            try expiring.verify(signature, over: [])
        }
        let dsa = GPGKey(keyid: signature.keyid, publicValues: .dsa(p: "01", q: "01", g: "01", y: "01"), creationTime: 1)
        #expect(throws: SignatureRejection.unsupportedKey(keyid: signature.keyid, reason: "DSA keys are not supported")) {
            try dsa.verify(signature, over: [])
        }
        let other = GPGKey(keyid: String(repeating: "c", count: 40), publicValues: .rsa(n: "01", e: "01"), creationTime: 1)
        #expect(throws: SignatureRejection.notThisKey(signatureKeyid: signature.keyid, keyid: other.keyid)) {
            try other.verify(signature, over: [])
        }
    }

    @Test func keysRoundTripThroughJSON() throws {
        let subkey = GPGKey(keyid: String(repeating: "d", count: 40), publicValues: .rsa(n: "c0ffee", e: "010001"), creationTime: 5, validityPeriod: 7)
        let key = GPGKey(keyid: String(repeating: "e", count: 40), publicValues: .rsa(n: "abcdef", e: "03"), creationTime: 4, subkeys: [subkey])
        #expect(try GPGKey(json: key.canonical) == key)
        #expect(throws: AttestationError.self) { try GPGKey(json: .object([("keyid", .string("x"))])) }
    }

    @Test func metablockParsingChecksTheShape() {
        func reason(_ text: String) -> String? {
            do { _ = try Metablock(parsing: Array(text.utf8)); return nil } catch { return error.description }
        }
        #expect(reason(#"{"signatures": [], "signed": {}}"#) == nil)
        #expect(reason(#"[]"#) == "metablock: expected an object, found array")
        #expect(reason(#"{"signatures": [], "signed": []}"#) == "metablock: signed: expected an object, found array")
        #expect(reason(#"{"signed": {}}"#) == "metablock: has no signatures")
        #expect(reason(#"{"signatures": [{"keyid": "ab", "other_headers": "zz", "signature": "00"}], "signed": {}}"#)
            == "metablock: signatures[0]: other_headers is not a hex string")
        #expect(reason(#"{"signatures": [], "signed": {}, "signed": {}}"#)?.hasPrefix("metablock: not valid JSON: byte 33: duplicate key") == true)
    }

    @Test func metadataLocationsFollowTheClient() throws {
        let epoch = try #require(MetadataLocation(fileName: "foo_1%3a2.0-1_amd64.deb"))
        #expect(epoch.urlPath == "sources/foo/1%3A2.0-1/metadata")
        #expect(epoch.directoryPaths == ["sources/foo/1%3a2.0-1/metadata", "sources/foo/1:2.0-1/metadata"])
        #expect(MetadataLocation(fileName: "bash_5.1-3+b1_amd64.deb")?.directoryPaths == ["sources/bash/5.1-3+b1/metadata"])
        #expect(MetadataLocation(fileName: "foo_1.0_all_extra.deb") == nil)
        #expect(MetadataLocation(fileName: "foo_1.0_all.udeb") == nil)
    }

    @Test func layoutTimesAreUTC() {
        #expect(LayoutTime.format(unixTime: 0) == "1970-01-01T00:00:00Z")
        #expect(LayoutTime.format(unixTime: 1_709_210_096) == "2024-02-29T12:34:56Z")
        #expect(LayoutTime.parse("2024-02-29T12:34:56Z") == 1_709_210_096)
        #expect(LayoutTime.parse("2023-02-29T12:34:56Z") == nil)
        #expect(LayoutTime.parse("2024-02-29 12:34:56Z") == nil)
    }

    @Test func globsMatchLikeFnmatch() throws {
        let deb = try #require(Glob("*.deb"))
        #expect(deb.matches("a_1_all.deb") && deb.matches("dir/x.deb") && deb.matches(".deb"))
        #expect(!deb.matches("a.deb.sig") && !deb.matches("a.udeb.x"))
        #expect(try #require(Glob("a?c*")).matches("abcdef"))
        #expect(Glob("[ab].deb") == nil)
    }
}
