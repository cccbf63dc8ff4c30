import Hexadecimal
import OpenPGP

extension GPGSignature {
    /// The signature object for a detached v4 signature packet, as securesystemslib's
    /// `parse_signature_packet` builds it. Refuses what the client would reject or misread: a hash
    /// other than SHA-256 (the verifier always hashes with SHA-256), a non-binary signature type
    /// (text mode hashes LF as CRLF) and a packet without an issuer fingerprint (nothing to name
    /// the link file after).
    public init(packet: SignaturePacket) throws(AttestationError) {
        let subject = "signature packet"
        guard packet.hashAlgorithm == 8 else {
            throw AttestationError(subject, "hash algorithm \(packet.hashAlgorithm), not SHA-256 (8); set 'personal-digest-preferences SHA256' in gpg.conf")
        }
        guard packet.signatureType == 0 else {
            throw AttestationError(subject, "signature type 0x\(Hex.lowercase([packet.signatureType])), not 0x00 (binary document)")
        }
        guard let fingerprint = packet.issuerFingerprint else {
            throw AttestationError(subject, "no issuer fingerprint subpacket (type 33)")
        }
        guard fingerprint.count == 20 else {
            throw AttestationError(subject, "issuer fingerprint of \(fingerprint.count) bytes, not a v4 fingerprint (20)")
        }
        let value: [UInt8]
        switch (packet.publicKeyAlgorithm, packet.mpis.count) {
        case (1, 1):
            // securesystemslib keeps the MPI as it is; the verifier pads it to the modulus length.
            value = packet.mpis[0]
        case (17, 2):
            value = DER.sequence([DER.integer(packet.mpis[0]), DER.integer(packet.mpis[1])])
        case (22, 2):
            guard packet.mpis.allSatisfy({ $0.count <= 32 }) else {
                throw AttestationError(subject, "EdDSA signature values longer than 32 bytes")
            }
            value = packet.mpis.flatMap { Array(repeating: 0, count: 32 - $0.count) + $0 }
        case (1, _), (17, _), (22, _):
            throw AttestationError(subject, "\(packet.mpis.count) signature values for public-key algorithm \(packet.publicKeyAlgorithm)")
        default:
            throw AttestationError(subject, "public-key algorithm \(packet.publicKeyAlgorithm) is not one securesystemslib verifies (1 RSA, 17 DSA, 22 EdDSA)")
        }
        self.init(keyid: Hex.lowercase(fingerprint), otherHeaders: Hex.lowercase(packet.hashedPart), signature: Hex.lowercase(value))
    }
}

/// The two DER shapes a DSA signature needs (what pyca's `encode_dss_signature` writes).
enum DER {
    /// An unsigned big-endian value as a minimal DER INTEGER.
    static func integer(_ magnitude: [UInt8]) -> [UInt8] {
        var content = Array(magnitude.drop { $0 == 0 })
        if content.isEmpty || content[0] & 0x80 != 0 { content.insert(0, at: 0) }
        return [0x02] + length(content.count) + content
    }

    static func sequence(_ elements: [[UInt8]]) -> [UInt8] {
        let content = elements.flatMap { $0 }
        return [0x30] + length(content.count) + content
    }

    private static func length(_ count: Int) -> [UInt8] {
        guard count >= 0x80 else { return [UInt8(count)] }
        var digits: [UInt8] = []
        var rest = count
        while rest > 0 { digits.insert(UInt8(rest & 0xFF), at: 0); rest >>= 8 }
        return [0x80 | UInt8(digits.count)] + digits
    }
}
