import Foundation
import OpenPGP
import Testing

private let content = Array(#"{"_type":"link","name":"rebuild"}"#.utf8)

/// `packet` with its old-format header replaced by a new-format one (tag 2): `long` uses the 5-byte length form.
private func newFormat(_ packet: [UInt8], long: Bool) throws -> [UInt8] {
    let headerLength = [2, 3, 5][Int(packet[0] & 0x03)]
    let body = Array(packet[headerLength...])
    let length: [UInt8]
    if long {
        length = [0xFF] + [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: body.count >> $0) }
    } else if body.count < 192 {
        length = [UInt8(body.count)]
    } else {
        length = [UInt8((body.count - 192) >> 8 + 192), UInt8((body.count - 192) & 0xFF)]
    }
    return [0xC2] + length + body
}

@Suite("SignaturePacket")
struct SignaturePacketTests {
    @Test(
        "a packet from 'gpg --detach-sign --digest-algo SHA256' parses the same with old- and new-format headers",
        arguments: [("rsa3072", UInt8(0x89), UInt8(1)), ("ed25519", UInt8(0x88), UInt8(22))])
    func gpgDetachedSignature(algorithm: String, header: UInt8, algorithmID: UInt8) throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            let key = try scratch.generateKey(in: home, userID: "Signer <signer@example.org>", algorithm: algorithm)
            let bytes = try scratch.detachSign(content, in: home, by: key.fingerprint)
            #expect(bytes[0] == header)

            let packet = try SignaturePacket(parsing: bytes)

            #expect(packet.bytes == bytes)
            #expect(packet.signatureType == 0)
            #expect(packet.publicKeyAlgorithm == algorithmID)
            #expect(packet.hashAlgorithm == 8)
            #expect(packet.issuerFingerprint.map(hex) == key.fingerprint.lowercased())
            // other_headers: 04 00 ALGO 08, the hashed length N, then N bytes of hashed subpackets, the first
            // being gpg 2.2's issuer fingerprint (length 22, type 33, version 4, fingerprint).
            let headerLength = header == 0x88 ? 2 : 3
            let hashedLength = Int(bytes[headerLength + 4]) << 8 | Int(bytes[headerLength + 5])
            #expect(packet.hashedPart == Array(bytes[headerLength..<headerLength + 6 + hashedLength]))
            #expect(Array(packet.hashedPart.prefix(4)) == [4, 0, algorithmID, 8])
            #expect(hex(Array(packet.hashedPart[6..<9])) == "162104")
            if algorithmID == 1 {
                #expect(packet.mpis.count == 1)
                #expect((380...384).contains(packet.mpis[0].count))
            } else {
                #expect(packet.mpis.count == 2)
                #expect(packet.mpis.allSatisfy { (30...32).contains($0.count) })
            }
            // The MPIs end the packet.
            #expect(hex(Array(bytes.suffix(packet.mpis.last!.count))) == hex(packet.mpis.last!))

            for long in [false, true] {
                let rewritten = try newFormat(bytes, long: long)
                var reparsed = try SignaturePacket(parsing: rewritten)
                #expect(reparsed.bytes == rewritten)
                reparsed.bytes = bytes
                #expect(reparsed == packet)
                try scratch.verify(rewritten, over: content, in: home)
            }
        }
    }

    @Test("malformed packets give errors that say what is wrong")
    func malformed() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            let key = try scratch.generateKey(in: home, userID: "Signer <signer@example.org>", algorithm: "ed25519")
            let bytes = try scratch.detachSign(content, in: home, by: key.fingerprint)
            func message(_ input: [UInt8]) -> String? {
                openPGPFailure { _ = try SignaturePacket(parsing: input) }?.message
            }

            #expect(message([]) == "the signature packet is malformed: truncated in the packet header (1 bytes needed at offset 0, 0 left)")
            #expect(message(Array(bytes.dropLast()))?.hasPrefix("the signature packet is malformed: packet body of ") == true)
            #expect(message(bytes + [0]) == "the signature packet is malformed: 1 bytes follow the signature packet")
            #expect(message([0x41] + bytes.dropFirst()) == "the signature packet is malformed: 0x41 at offset 0 is not an OpenPGP packet header")
            #expect(message([0x98] + bytes.dropFirst()) == "the signature packet is malformed: packet tag 6 is not a signature packet (2)")
            var version3 = bytes
            version3[2] = 3
            #expect(message(version3) == "the signature packet is malformed: version 3 is not supported, only version 4")
            var ecdsa = bytes
            ecdsa[4] = 19
            #expect(message(ecdsa) == "the signature packet is malformed: public-key algorithm 19 is not supported, only RSA (1), DSA (17) and EdDSA (22)")
            var shortened = bytes
            shortened[1] -= 1
            shortened.removeLast()
            #expect(message(shortened)?.hasPrefix("the signature packet is malformed: truncated in the signature MPI 2") == true)
        }
    }
}
