/// A v4 OpenPGP signature packet, parsed (RFC 4880 5.2.3): the parts securesystemslib's GPG signature format
/// (in-toto links) is made of. Old-format (0x88/0x89/0x8a) and new-format (0xC2) headers are accepted.
public struct SignaturePacket: Sendable, Equatable {
    /// The whole packet as given, header included.
    public var bytes: [UInt8]
    /// 0x00: signature of a binary document.
    public var signatureType: UInt8
    /// 1 RSA, 17 DSA, 22 EdDSA.
    public var publicKeyAlgorithm: UInt8
    /// 8 = SHA-256.
    public var hashAlgorithm: UInt8
    /// Body bytes [0, 6+N): version, type, pubkey algo, hash algo, hashed length, hashed subpackets
    /// (securesystemslib's `other_headers`).
    public var hashedPart: [UInt8]
    /// Issuer Fingerprint subpacket (type 33) payload without its key-version byte: 20 bytes for v4; nil when absent.
    /// From the hashed area, else the unhashed one (securesystemslib reads both, the hashed one winning).
    public var issuerFingerprint: [UInt8]?
    /// The algorithm-specific MPIs after the left-16 bits, values without their 2-byte bit counts, in order
    /// (RSA: [s]; DSA: [r, s]; EdDSA: [r, s]).
    public var mpis: [[UInt8]]

    /// `packet`: exactly one signature packet, header included, nothing after it.
    public init(parsing packet: [UInt8]) throws(OpenPGPError) {
        var input = PacketReader(packet, operation: "parse signature packet", what: "the signature packet")
        let (tag, body) = try input.packet()
        guard tag == 2 else { throw input.error("packet tag \(tag) is not a signature packet (2)") }
        guard input.isAtEnd else { throw input.error("\(input.remaining) bytes follow the signature packet") }
        var reader = body
        let version = try reader.byte("version")
        guard version == 4 else { throw reader.error("version \(version) is not supported, only version 4") }
        signatureType = try reader.byte("signature type")
        publicKeyAlgorithm = try reader.byte("public-key algorithm")
        hashAlgorithm = try reader.byte("hash algorithm")
        let hashed = try reader.subpackets(try reader.integer(2, "hashed subpacket length"), "hashed subpackets")
        hashedPart = Array(packet[body.offset..<reader.offset])
        let unhashed = try reader.subpackets(try reader.integer(2, "unhashed subpacket length"), "unhashed subpackets")
        let issuer = (hashed.last { $0.type == 33 } ?? unhashed.last { $0.type == 33 })?.payload
        if let issuer, issuer.count < 2 {
            throw reader.error("the issuer fingerprint subpacket holds \(issuer.count) bytes")
        }
        issuerFingerprint = issuer.map { Array($0.dropFirst()) }
        _ = try reader.take(2, "left 16 bits of the digest")
        let count: Int
        switch publicKeyAlgorithm {
        case 1: count = 1
        case 17, 22: count = 2
        default:
            throw reader.error(
                "public-key algorithm \(publicKeyAlgorithm) is not supported, only RSA (1), DSA (17) and EdDSA (22)")
        }
        var mpis: [[UInt8]] = []
        for index in 0..<count { mpis.append(try reader.mpi("signature MPI \(index + 1)")) }
        guard reader.isAtEnd else { throw reader.error("\(reader.remaining) bytes follow the signature MPIs") }
        self.mpis = mpis
        bytes = packet
    }
}
