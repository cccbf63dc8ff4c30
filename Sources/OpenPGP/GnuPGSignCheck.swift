internal import CGPGME

/// One real signature by gpg itself (through GPGME), made once when a `DetachedSigner` is opened: it proves the
/// secret key is usable without a pinentry, leaves the home's gpg-agent running, and checks that gpg on its own
/// would sign SHA-256 in this home. `DetachedSigner` builds SHA-256 packets whatever gpg.conf says, but the home
/// is also used by gpg-based tools (`in-toto-run --gpg`), and operators were told to configure it; keeping the
/// requirement keeps the two in agreement.
enum GnuPGSignCheck {
    static func run(_ wanted: String, in home: String, operation: String) throws(OpenPGPError) {
        func fail(_ problem: String) -> OpenPGPError {
            OpenPGPError(operation: operation, message: "key \(wanted) in \(home): \(problem)")
        }
        let context = try GPGMEContext(home: home, operation: operation)
        // Results and keys GPGME hands out live in the context: it must outlive every read of them,
        // not only its own last use (Swift may release it right after that).
        defer { withExtendedLifetime(context) {} }
        guard let key = try GPGMEKey(wanted, secret: false, in: context, home: home, operation: operation) else {
            throw OpenPGPError(operation: operation, message: "no key \(wanted) in \(home)")
        }
        gpgme_set_armor(context.raw, 0)
        gpgme_set_textmode(context.raw, 0)
        var error = gpgme_set_pinentry_mode(context.raw, GPGME_PINENTRY_MODE_ERROR)
        if error == 0 { error = gpgme_signers_add(context.raw, key.raw) }
        if error != 0 { throw fail("cannot set up the signing context: \(GPGME.describe(error))") }
        let plain = try GPGMEData(copying: Array("signing check".utf8), operation: operation, what: "test text")
        let output = try GPGMEData(operation: operation, what: "signature")

        error = gpgme_op_sign(context.raw, plain.raw, output.raw, GPGME_SIG_MODE_DETACH)
        let result = gpgme_op_sign_result(context.raw)?.pointee
        if let invalid = result?.invalid_signers?.pointee {
            throw fail("gpg cannot sign with it: \(describeRefusal(invalid.reason))")
        }
        if error != 0 { throw fail("gpg failed to sign: \(describeRefusal(error))") }
        guard let first = result?.signatures?.pointee else { throw fail("gpg made no signature") }
        guard first.hash_algo == GPGME_MD_SHA256 else {
            let name = gpgme_hash_algo_name(first.hash_algo).map { String(cString: $0) }
                ?? "algorithm \(first.hash_algo.rawValue)"
            throw fail(
                "gpg signs with digest \(name) in this home, but in-toto verifiers hash with SHA-256 only: "
                    + "put 'personal-digest-preferences SHA256' into \(home)/gpg.conf")
        }
    }

    /// Why gpg or gpg-agent refused to sign, for the reasons an operator can fix.
    static func describeRefusal(_ reason: gpgme_error_t) -> String {
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
}
