internal import Crypto

/// The parts of a v4 binary-document signature packet (RFC 4880 5.2.3) laid out exactly as GnuPG 2.2 writes a
/// detached signature: hashed area = issuer fingerprint (33) then creation time (2), unhashed area = issuer key
/// ID (16), SHA-256, old-format packet header.
struct SignaturePacketBuilder {
    /// 1 RSA, 17 DSA, 22 EdDSA.
    let publicKeyAlgorithm: UInt8
    /// The v4 fingerprint of the key that signs (20 bytes).
    let issuer: [UInt8]
    /// Seconds since 1970.
    let created: UInt32

    /// Body bytes [0, 6+N): what the v4 trailer hashes (securesystemslib's `other_headers`).
    var hashedPart: [UInt8] {
        let area = subpacket(33, [4] + issuer) + subpacket(2, bigEndian(created))
        return [4, 0x00, publicKeyAlgorithm, 8, UInt8(area.count >> 8), UInt8(area.count & 0xFF)] + area
    }

    /// SHA-256 over `data`, the hashed part and the v4 trailer (0x04 0xFF, hashed length as 4 bytes).
    func digest(of data: [UInt8]) -> [UInt8] {
        let hashed = hashedPart
        var hash = SHA256()
        hash.update(data: data)
        hash.update(data: hashed)
        hash.update(data: [4, 0xFF] + bigEndian(UInt32(hashed.count)))
        return Array(hash.finalize())
    }

    /// The whole packet, header included: `digest` from `digest(of:)`, `values` the signature's MPI values.
    func packet(digest: [UInt8], values: [[UInt8]]) -> [UInt8] {
        let unhashed = subpacket(16, Array(issuer.suffix(8)))
        var body = hashedPart + [UInt8(unhashed.count >> 8), UInt8(unhashed.count & 0xFF)] + unhashed
        body += digest.prefix(2)
        for value in values { body += mpi(value) }
        switch body.count {
        case ..<256: return [0x88, UInt8(body.count)] + body
        case ..<65536: return [0x89, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
        default: return [0x8A] + bigEndian(UInt32(body.count)) + body
        }
    }

    /// Subpackets here are short: one length byte.
    private func subpacket(_ type: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [UInt8(payload.count + 1), type] + payload
    }

    /// Leading zero bytes dropped; the bit count is that of the value.
    private func mpi(_ value: [UInt8]) -> [UInt8] {
        let bytes = Array(value.drop { $0 == 0 })
        let bits = bytes.first.map { (bytes.count - 1) * 8 + (8 - $0.leadingZeroBitCount) } ?? 0
        return [UInt8(bits >> 8), UInt8(bits & 0xFF)] + bytes
    }

    private func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
