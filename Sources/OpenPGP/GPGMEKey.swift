internal import CGPGME

/// One key as GnuPG lists it through GPGME, with GnuPG's own judgement of the primary key and each subkey
/// (revoked, expired, may sign, secret present), which GnuPG derives from the self-signatures it has verified.
/// GPGME counts references to a listed key; the last Swift reference releases GPGME's. GPGME never changes a
/// listed key and guards the count with a lock, so a `GPGMEKey` may be shared between threads.
final class GPGMEKey: @unchecked Sendable {
    struct Subkey {
        /// 40 lowercase hex.
        var fingerprint: String
        /// Seconds since 1970.
        var created: Int
        /// Seconds since 1970; nil = never.
        var expires: Int?
        /// GPGME's number (EdDSA is 303, not the packet's 22) and name.
        var algorithm: gpgme_pubkey_algo_t
        var algorithmName: String
        var curve: String?
        var canSign: Bool
        var revoked: Bool
        var expired: Bool
        var invalid: Bool
        /// gpg-agent's name for the key (40 hex); nil unless listed with `GPGME_KEYLIST_MODE_WITH_KEYGRIP`.
        var keygrip: String?
        /// Only meaningful in a secret-key listing: the secret part is in the home (not a stub or card key).
        var secret: Bool
    }

    let raw: gpgme_key_t
    /// The primary key first.
    let subkeys: [Subkey]
    /// Disabled with `gpg --edit-key KEY disable` (a property of the whole key).
    let disabled: Bool
    var primary: Subkey { subkeys[0] }

    /// The key whose primary key or one of whose subkeys has `fingerprint` (40 hex), listed from the context's
    /// home; nil when there is none. `secret`: list the secret key, nil when its secret part is not in the home.
    init?(
        _ fingerprint: String, secret: Bool, in context: borrowing GPGMEContext, home: String, operation: String
    ) throws(OpenPGPError) {
        var found: gpgme_key_t?
        let error = gpgme_get_key(context.raw, fingerprint, &found, secret ? 1 : 0)
        if GPGME.code(error) == GPG_ERR_EOF { return nil }
        guard error == 0, let key = found else {
            throw OpenPGPError(
                operation: operation, message: "cannot look up key \(fingerprint) in \(home): \(GPGME.describe(error))")
        }
        var subkeys: [Subkey] = []
        var next = key.pointee.subkeys
        while let subkey = next {
            let item = subkey.pointee
            subkeys.append(
                Subkey(
                    fingerprint: GPGME.string(item.fpr)?.lowercased() ?? "",
                    created: item.timestamp,
                    expires: item.expires == 0 ? nil : item.expires,
                    algorithm: item.pubkey_algo,
                    algorithmName: gpgme_pubkey_algo_name(item.pubkey_algo).map { String(cString: $0) } ?? "unknown",
                    curve: item.curve.map { String(cString: $0) },
                    canSign: item.can_sign != 0, revoked: item.revoked != 0, expired: item.expired != 0,
                    invalid: item.invalid != 0, keygrip: GPGME.string(item.keygrip), secret: item.secret != 0))
            next = item.next
        }
        guard !subkeys.isEmpty else {
            gpgme_key_unref(key)
            throw OpenPGPError(
                operation: operation, message: "GnuPG listed key \(fingerprint) in \(home) without a primary key")
        }
        raw = key
        self.subkeys = subkeys
        disabled = key.pointee.disabled != 0
    }

    deinit { gpgme_key_unref(raw) }
}
