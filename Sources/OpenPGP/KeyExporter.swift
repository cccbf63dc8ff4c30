import Hexadecimal
internal import CGPGME

/// Exports public keys of a GnuPG home through gpgme_op_export (binary), and parses the packets: the key material
/// of the primary key and of its signing subkeys, as securesystemslib's `export_pubkey` puts it into an in-toto
/// layout.
///
/// Key material and fingerprints come from the exported packets; which subkeys may sign and when a key expires
/// come from GnuPG's key listing, i.e. from the newest self-signature GnuPG verified. Two differences from
/// securesystemslib 0.26: it also exports subkeys that may not sign (e.g. an RSA encryption subkey), and it
/// hashes a key packet with the header the packet has instead of 0x99 and a 2-byte length, so no self-signature
/// of an Ed25519 key (a 51-byte packet, 1-byte length) verifies there: it exports neither the expiry of an
/// Ed25519 primary key nor Ed25519 subkeys. This exporter keeps exactly the subkeys GnuPG says may sign. Like
/// securesystemslib, it skips subkeys whose algorithm in-toto cannot use and keeps revoked or expired subkeys
/// (the expiry is part of the material; a revocation cannot be expressed in it).
///
/// Each call uses its own GPGME context, so one exporter may be used from several threads at once; it runs two
/// `gpg` processes and blocks until they exit.
public struct KeyExporter: Sendable {
    let home: String

    /// `home`: an existing GnuPG home directory.
    public init(home: String) throws(OpenPGPError) {
        self.home = try GnuPGHome.directory(home, operation: "open keyring")
    }

    /// `fingerprint`: 40 hex of a primary key (any case) or of a subkey (then its primary is exported).
    public func export(fingerprint: String) throws(OpenPGPError) -> ExportedKey {
        let operation = "export public key"
        guard let wanted = Hex.normalized(fingerprint, count: 40) else {
            throw OpenPGPError(operation: operation, message: "'\(fingerprint)' is not a key fingerprint (40 hex digits)")
        }
        let context = try GPGMEContext(home: home, operation: operation)
        // Results and keys GPGME hands out live in the context: it must outlive every read of them,
        // not only its own last use (Swift may release it right after that).
        defer { withExtendedLifetime(context) {} }
        guard let listed = try GPGMEKey(wanted, secret: false, in: context, home: home, operation: operation) else {
            throw OpenPGPError(operation: operation, message: "no key \(wanted) in \(home)")
        }
        gpgme_set_armor(context.raw, 0)
        let data = try GPGMEData(operation: operation, what: "exported key")
        let error = gpgme_op_export(context.raw, listed.primary.fingerprint, 0, data.raw)
        guard error == 0 else {
            throw OpenPGPError(
                operation: operation,
                message: "gpg cannot export key \(listed.primary.fingerprint) from \(home): \(GPGME.describe(error))")
        }
        let exported = try data.contents(operation: operation, what: "exported key")
        return try Self.parse(exported, listed: listed, operation: operation)
    }

    /// The primary key and signing subkeys in `exported` (one transferable public key, RFC 4880 11.1), with the
    /// expiry and capabilities from `listed`.
    private static func parse(
        _ exported: [UInt8], listed: GPGMEKey, operation: String
    ) throws(OpenPGPError) -> ExportedKey {
        var reader = PacketReader(exported, operation: operation, what: "the exported key")
        var primary: PublicKeyMaterial?
        var subkeys: [PublicKeyMaterial] = []
        while !reader.isAtEnd {
            let (tag, body) = try reader.packet()
            guard tag == 6 || tag == 14 else { continue }  // user IDs, signatures, ...
            guard (tag == 6) == (primary == nil) else {
                throw reader.error(tag == 6 ? "more than one primary key" : "a subkey before the primary key")
            }
            let parsed = try PublicKeyMaterial.parse(keyPacketBody: body)
            if tag == 6 {
                guard var material = parsed else {
                    throw OpenPGPError(
                        operation: operation,
                        message: "key \(listed.primary.fingerprint) uses \(listed.primary.algorithmName); "
                            + "in-toto accepts only RSA, DSA and EdDSA (Ed25519) keys")
                }
                guard material.fingerprint == listed.primary.fingerprint else {
                    throw reader.error(
                        "its primary key has fingerprint \(material.fingerprint), not \(listed.primary.fingerprint)")
                }
                material.validitySeconds = listed.primary.expires.map { $0 - material.creationTime }
                primary = material
            } else if var material = parsed,
                let subkey = listed.subkeys.dropFirst().first(where: { $0.fingerprint == material.fingerprint }),
                subkey.canSign
            {
                material.validitySeconds = subkey.expires.map { $0 - material.creationTime }
                subkeys.append(material)
            }
        }
        guard let primary else { throw reader.error("it holds no primary key packet") }
        return ExportedKey(primary: primary, subkeys: subkeys)
    }
}
