internal import CGPGME
import Foundation

/// Signs bytes with one secret key of a GnuPG home through GPGME: detached, binary (armor 0, textmode 0), and
/// checks the result is what in-toto verifiers accept (a v4 binary signature with SHA-256 and an issuer
/// fingerprint, by an RSA, DSA or Ed25519 key).
///
/// **Which key signs.** GPGME hands gpg the primary key's ID, and gpg picks the signing key itself: the newest
/// usable signing subkey whose secret part is present, else the primary key. The signature's issuer (the
/// in-toto `keyid`) is then that subkey, which a layout accepts when it lists the subkey under the primary key.
/// When `fingerprint` names a subkey, a signature by any other key is refused.
///
/// **Passphrases.** The key must be usable without a pinentry: no passphrase, or one gpg-agent already has
/// (e.g. `gpg-preset-passphrase`). Checking that up front is out of scope; GPGME runs gpg with
/// `--pinentry-mode error`, so a key that needs a passphrase makes `sign` fail instead of waiting for one.
///
/// **Threads.** Each `sign` creates, uses and releases its own GPGME context, so one signer may be used from
/// several threads at once. Each call runs one `gpg` process and blocks until it exits.
public struct DetachedSigner: Sendable {
    /// The GnuPG home directory holding the secret key (absolute).
    public let home: String
    /// The configured key's fingerprint, lowercase.
    public let fingerprint: String
    private let key: GPGMEKey

    /// Checks up front, each with a message naming the fingerprint and the home: fingerprint well-formed
    /// (40 hex), key known, secret part present, not expired, not revoked, not disabled, can sign, and the key
    /// gpg will sign with is RSA, DSA or Ed25519.
    public init(home: String, fingerprint: String) throws(OpenPGPError) {
        let operation = "open signing key"
        let home = try GnuPGHome.directory(home, operation: operation)
        guard let wanted = Hex.normalized(fingerprint, count: 40) else {
            throw OpenPGPError(
                operation: operation,
                message: "'\(fingerprint)' is not a key fingerprint (40 hex digits), for GnuPG home \(home)")
        }
        key = try Self.usableKey(wanted, in: home, operation: operation)
        self.home = home
        self.fingerprint = wanted
    }

    /// Signs `bytes`. Afterwards checks gpgme_op_sign_result: exactly one signature, SHA-256, signature class 0;
    /// parses the packet and checks the issuer fingerprint is present, equals the result's fingerprint, and is the
    /// configured key (or one of its subkeys when the primary key is configured). When gpg refuses the key (it
    /// expired or was revoked since `init`, say), the error says why, as `init` would.
    public func sign(_ bytes: [UInt8]) throws(OpenPGPError) -> SignaturePacket {
        let operation = "sign"
        func fail(_ problem: String) -> OpenPGPError {
            OpenPGPError(operation: operation, message: "key \(fingerprint) in \(home): \(problem)")
        }
        let context = try GPGMEContext(home: home, operation: operation)
        gpgme_set_armor(context.raw, 0)
        gpgme_set_textmode(context.raw, 0)
        var error = gpgme_set_pinentry_mode(context.raw, GPGME_PINENTRY_MODE_ERROR)
        if error == 0 { error = gpgme_signers_add(context.raw, key.raw) }
        if error != 0 { throw fail("cannot set up the signing context: \(GPGME.describe(error))") }
        let plain = try GPGMEData(copying: bytes, operation: operation, what: "signed bytes")
        let output = try GPGMEData(operation: operation, what: "signature")

        error = gpgme_op_sign(context.raw, plain.raw, output.raw, GPGME_SIG_MODE_DETACH)
        let result = gpgme_op_sign_result(context.raw)?.pointee
        if let invalid = result?.invalid_signers?.pointee {
            // gpg reports a key that expired or was revoked since `init` as having no secret key (INV_SGNR 9):
            // the checks of `init`, run again, say what changed.
            _ = try Self.usableKey(fingerprint, in: home, operation: operation)
            throw fail("gpg cannot sign with it: \(Self.describeRefusal(invalid.reason))")
        }
        if error != 0 { throw fail("gpg failed to sign: \(Self.describeRefusal(error))") }
        guard let first = result?.signatures?.pointee else { throw fail("gpg made no signature") }
        guard first.next == nil else { throw fail("gpg made more than one signature") }
        guard first.hash_algo == GPGME_MD_SHA256 else {
            let name = gpgme_hash_algo_name(first.hash_algo).map { String(cString: $0) }
                ?? "algorithm \(first.hash_algo.rawValue)"
            throw fail(
                "gpg signed with digest \(name), but in-toto verifiers hash with SHA-256 only: "
                    + "put 'personal-digest-preferences SHA256' into \(home)/gpg.conf")
        }
        guard first.sig_class == 0 else {
            throw fail("gpg made a signature of class \(first.sig_class), not 0 (binary document)")
        }
        let packet = try SignaturePacket(parsing: try output.contents(operation: operation, what: "signature"))
        guard let issuer = packet.issuerFingerprint.map({ Hex.lowercase($0) }) else {
            throw fail("the signature has no issuer fingerprint subpacket (GnuPG 2.1 or later adds one)")
        }
        let reported = GPGME.string(first.fpr)?.lowercased() ?? ""
        guard issuer == reported else {
            throw fail("the signature's issuer fingerprint \(issuer) is not the key GPGME reports, \(reported)")
        }
        let allowed = fingerprint == key.primary.fingerprint ? Set(key.subkeys.map(\.fingerprint)) : [fingerprint]
        guard allowed.contains(issuer) else {
            throw fail(
                "gpg signed with \(issuer) instead (it picks the newest signing subkey); configure that one or the primary key")
        }
        guard packet.signatureType == 0, packet.hashAlgorithm == 8 else {
            throw fail(
                "the signature packet says type \(packet.signatureType) and hash \(packet.hashAlgorithm), not 0 and 8 (SHA-256)")
        }
        return packet
    }

    /// The listed key `wanted` if it and the key gpg will sign with pass the checks of `init`, else why not.
    private static func usableKey(_ wanted: String, in home: String, operation: String) throws(OpenPGPError) -> GPGMEKey {
        func fail(_ problem: String) -> OpenPGPError {
            OpenPGPError(operation: operation, message: "key \(wanted) in \(home) \(problem)")
        }
        let context = try GPGMEContext(home: home, operation: operation)
        guard let publicKey = try GPGMEKey(wanted, secret: false, in: context, home: home, operation: operation) else {
            throw OpenPGPError(operation: operation, message: "no key \(wanted) in \(home)")
        }
        guard let secretKey = try GPGMEKey(wanted, secret: true, in: context, home: home, operation: operation) else {
            throw fail("has no secret key: only the public key is in this home")
        }
        // State comes from the public listing, secret parts from the secret one.
        let secrets = Set(secretKey.subkeys.filter(\.secret).map(\.fingerprint))
        let primary = publicKey.primary
        if primary.revoked { throw fail("is revoked") }
        if primary.expired { throw fail("expired\(date(primary.expires))") }
        if publicKey.disabled { throw fail("is disabled") }
        if primary.invalid { throw fail("is invalid") }

        let signing: GPGMEKey.Subkey
        if wanted == primary.fingerprint {
            // gpg's choice (see the type's documentation).
            let usable = publicKey.subkeys.filter { $0.canSign && !$0.revoked && !$0.expired && !$0.invalid }
            let candidates = usable.filter { secrets.contains($0.fingerprint) }
            guard !usable.isEmpty else {
                throw fail("cannot sign: neither it nor a valid subkey has the signing capability")
            }
            let newestSubkey = candidates.filter { $0.fingerprint != primary.fingerprint }.max { $0.created < $1.created }
            guard let chosen = newestSubkey ?? candidates.first(where: { $0.fingerprint == primary.fingerprint }) else {
                throw fail("cannot sign: the secret part of its signing key is not in this home (a stub or a card key)")
            }
            signing = chosen
        } else {
            guard let subkey = publicKey.subkeys.first(where: { $0.fingerprint == wanted }) else {
                throw OpenPGPError(
                    operation: operation, message: "GnuPG listed key \(wanted) in \(home) without that fingerprint")
            }
            if subkey.revoked { throw fail("is a revoked subkey") }
            if subkey.expired { throw fail("is a subkey that expired\(date(subkey.expires))") }
            if subkey.invalid { throw fail("is an invalid subkey") }
            if !subkey.canSign { throw fail("cannot sign: the subkey has no signing capability") }
            guard secrets.contains(wanted) else {
                throw fail("has no secret subkey: its secret part is not in this home (a stub or a card key)")
            }
            signing = subkey
        }
        let accepted = signing.algorithm == GPGME_PK_RSA || signing.algorithm == GPGME_PK_DSA
            || (signing.algorithm == GPGME_PK_EDDSA && signing.curve == "ed25519")
        guard accepted else {
            let which = signing.fingerprint == wanted ? "" : " (gpg would sign with subkey \(signing.fingerprint))"
            let curve = signing.curve.map { " \($0)" } ?? ""
            throw fail(
                "uses \(signing.algorithmName)\(curve)\(which); in-toto accepts only RSA, DSA and EdDSA (Ed25519) keys")
        }
        return publicKey
    }

    /// Why gpg refused to sign, for the reasons an operator can fix.
    private static func describeRefusal(_ reason: gpgme_error_t) -> String {
        switch GPGME.code(reason) {
        case GPG_ERR_KEY_EXPIRED: return "the key has expired"
        case GPG_ERR_CERT_REVOKED: return "the key is revoked"
        case GPG_ERR_NO_SECKEY: return "its secret key is not in the home"
        case GPG_ERR_WRONG_KEY_USAGE: return "the key is not allowed to sign"
        case GPG_ERR_NO_PIN_ENTRY, GPG_ERR_BAD_PASSPHRASE, GPG_ERR_NO_PASSPHRASE:
            return "the secret key needs a passphrase and no pinentry may ask for it (\(GPGME.describe(reason)))"
        default: return GPGME.describe(reason)
        }
    }

    private static func date(_ seconds: Int?) -> String {
        seconds.map { " on " + Date(timeIntervalSince1970: TimeInterval($0)).ISO8601Format() } ?? ""
    }
}
