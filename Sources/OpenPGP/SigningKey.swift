internal import CGPGME
import Foundation
import Hexadecimal

/// The key that signs for a configured fingerprint, after the checks `DetachedSigner` makes, with what building
/// a signature needs: its fingerprint, gpg-agent's keygrip and the packet's public-key algorithm.
struct SigningKey: Sendable, Equatable {
    /// 40 lowercase hex: the issuer of the signatures.
    var fingerprint: String
    /// 40 hex, gpg-agent's name for the secret key.
    var keygrip: String
    /// 1 RSA, 17 DSA, 22 EdDSA.
    var packetAlgorithm: UInt8
    /// Seconds since 1970 when the signing key or its primary key expires, whichever comes first; nil = never.
    var expires: Int?

    /// Checks, each with a message naming `wanted` and `home`: key known, secret part present, not expired, not
    /// revoked, not disabled, can sign, RSA, DSA or Ed25519. When `wanted` is a primary key, the key that signs
    /// is gpg's choice: the newest usable signing subkey whose secret part is present, else the primary key.
    /// Listing secret keys also starts the home's gpg-agent (gpg asks it which secret keys it has).
    static func check(_ wanted: String, in home: String, operation: String) throws(OpenPGPError) -> SigningKey {
        func fail(_ problem: String) -> OpenPGPError {
            OpenPGPError(operation: operation, message: "key \(wanted) in \(home) \(problem)")
        }
        let context = try GPGMEContext(home: home, operation: operation)
        // Results and keys GPGME hands out live in the context: it must outlive every read of them,
        // not only its own last use (Swift may release it right after that).
        defer { withExtendedLifetime(context) {} }
        let error = gpgme_set_keylist_mode(
            context.raw, gpgme_keylist_mode_t(GPGME_KEYLIST_MODE_LOCAL | GPGME_KEYLIST_MODE_WITH_KEYGRIP))
        if error != 0 {
            throw OpenPGPError(operation: operation, message: "cannot ask GnuPG for keygrips: \(GPGME.describe(error))")
        }
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
        let packetAlgorithm: UInt8
        switch signing.algorithm {
        case GPGME_PK_RSA: packetAlgorithm = 1
        case GPGME_PK_DSA: packetAlgorithm = 17
        case GPGME_PK_EDDSA where signing.curve == "ed25519": packetAlgorithm = 22
        default:
            let which = signing.fingerprint == wanted ? "" : " (gpg would sign with subkey \(signing.fingerprint))"
            let curve = signing.curve.map { " \($0)" } ?? ""
            throw fail(
                "uses \(signing.algorithmName)\(curve)\(which); in-toto accepts only RSA, DSA and EdDSA (Ed25519) keys")
        }
        // The secret listing names the keygrip too; the public one is enough and always has it.
        guard let keygrip = signing.keygrip.flatMap({ Hex.normalized($0, count: 40) }) else {
            throw OpenPGPError(
                operation: operation, message: "GnuPG listed key \(signing.fingerprint) in \(home) without a keygrip")
        }
        let expiries = [primary.expires, signing.expires].compactMap { $0 }
        return SigningKey(
            fingerprint: signing.fingerprint, keygrip: keygrip.uppercased(), packetAlgorithm: packetAlgorithm,
            expires: expiries.min())
    }

    private static func date(_ seconds: Int?) -> String {
        seconds.map { " on " + Date(timeIntervalSince1970: TimeInterval($0)).ISO8601Format() } ?? ""
    }
}
