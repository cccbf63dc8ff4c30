import Hexadecimal
/// Public key material of one OpenPGP v4 key or subkey.
public struct PublicKeyMaterial: Sendable, Equatable {
    /// The algorithm-specific MPI values without their bit counts (RFC 4880 5.5.2), as securesystemslib exports them.
    public enum Parameters: Sendable, Equatable {
        case rsa(n: [UInt8], e: [UInt8])
        case dsa(p: [UInt8], q: [UInt8], g: [UInt8], y: [UInt8])
        /// The 32-byte Ed25519 point, without GnuPG's 0x40 prefix.
        case eddsa(q: [UInt8])
    }

    /// 40 lowercase hex.
    public var fingerprint: String
    /// Seconds since 1970.
    public var creationTime: Int
    /// Key expiration (subpacket 9) of the newest valid self-signature / binding signature, in seconds after
    /// creation; nil = never expires.
    public var validitySeconds: Int?
    public var parameters: Parameters

    public init(fingerprint: String, creationTime: Int, validitySeconds: Int?, parameters: Parameters) {
        self.fingerprint = fingerprint
        self.creationTime = creationTime
        self.validitySeconds = validitySeconds
        self.parameters = parameters
    }
}

/// A primary key and the subkeys that may sign for it.
public struct ExportedKey: Sendable, Equatable {
    public var primary: PublicKeyMaterial
    /// Subkeys whose binding signature grants signing (key flags 0x02), as securesystemslib exports them.
    public var subkeys: [PublicKeyMaterial]

    public init(primary: PublicKeyMaterial, subkeys: [PublicKeyMaterial]) {
        self.primary = primary
        self.subkeys = subkeys
    }
}

extension PublicKeyMaterial {
    /// Parses a v4 public-key (tag 6) or public-subkey (tag 14) packet body; `validitySeconds` stays nil. The
    /// fingerprint is SHA-1 over 0x99, the 2-byte body length and the body (RFC 4880 12.2). nil for a key of an
    /// algorithm securesystemslib cannot use (ECDH, ECDSA, Elgamal, RSA sign-only, EdDSA on another curve).
    static func parse(keyPacketBody body: PacketReader) throws(OpenPGPError) -> PublicKeyMaterial? {
        var reader = body
        let length = reader.remaining
        let header: [UInt8] = [0x99, UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
        let fingerprint = Hex.lowercase(SHA1.hash(header + reader.unread))
        let version = try reader.byte("key version")
        guard version == 4 else { throw reader.error("key version \(version) is not supported, only version 4") }
        let creationTime = try reader.integer(4, "key creation time")
        let algorithm = try reader.byte("key algorithm")
        let parameters: Parameters
        switch algorithm {
        case 1:
            parameters = .rsa(n: try reader.mpi("RSA modulus n"), e: try reader.mpi("RSA exponent e"))
        case 17:
            parameters = .dsa(
                p: try reader.mpi("DSA prime p"), q: try reader.mpi("DSA group order q"),
                g: try reader.mpi("DSA generator g"), y: try reader.mpi("DSA public value y"))
        case 22:
            let oid = try reader.take(Int(try reader.byte("curve OID length")), "curve OID")
            // 1.3.6.1.4.1.11591.15.1, the only EdDSA curve securesystemslib supports.
            guard oid == [0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01] else {
                return nil
            }
            let point = try reader.mpi("EdDSA point")
            guard point.count == 33, point[0] == 0x40 else {
                throw reader.error("the Ed25519 point is not 0x40 followed by 32 bytes")
            }
            parameters = .eddsa(q: Array(point.dropFirst()))
        default:
            return nil
        }
        return PublicKeyMaterial(
            fingerprint: fingerprint, creationTime: creationTime, validitySeconds: nil, parameters: parameters)
    }
}
