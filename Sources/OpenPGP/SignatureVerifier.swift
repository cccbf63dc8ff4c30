internal import CGPGME
import Foundation

/// Verifies OpenPGP signatures against the public keys of one GnuPG home directory, the keyring
/// an operator chose for one purpose (for example the Debian buildd keys for the buildinfo files
/// of `[debian]`).
///
/// **What counts as a good signature.** The keyring itself is the trust decision: a key is
/// trusted because the operator put it in `home`. GnuPG therefore runs with `--trust-model always`
/// and web-of-trust validity (trust-db, owner trust) plays no part. A signature is good when
/// - GnuPG reports it good (status `GPG_ERR_NO_ERROR`, i.e. `GOODSIG`): made by a key in `home`
///   and cryptographically valid over exactly the given bytes;
/// - the signing key is neither revoked nor expired (GnuPG's `REVKEYSIG`, `EXPKEYSIG`). GnuPG
///   judges expiry at verification time, not at signing time: a signature made before its key
///   expired is rejected, so keep the keyring's copies of the keys current;
/// - the signature itself has not expired, the key was allowed to sign, and GPGME's summary has
///   none of red, key revoked, key expired, signature expired, key missing.
/// GnuPG's "disabled" flag (`gpg --edit-key KEY disable`) is not honoured on verification: to
/// stop trusting a key, delete it from `home`.
/// `verify` succeeds only when there is at least one signature and every signature is good.
///
/// **Threads.** The value holds only the home's path; each `verify` creates, uses and releases
/// its own GPGME context, so one verifier may be used from several threads at once. GPGME is
/// initialized once per process (`gpgme_check_version`) before the first context. Each call runs
/// one `gpg --verify` child process and blocks until it exits: call it from dedicated threads,
/// not from the Swift cooperative pool.
///
/// **Side effects.** Verification is offline (`--disable-dirmngr`: missing keys are never fetched
/// from a keyserver), needs no pinentry, no secret key and no gpg-agent (none is started). It
/// neither needs nor creates `trustdb.gpg`, so `home` may be read-only for the rebuilder's user
/// (gpg then only warns about ownership and `random_seed`); when `home` is writable, gpg refreshes
/// `random_seed` there. The signer's user ID and primary-key fingerprint come from gpg's
/// `GOODSIG` and `VALIDSIG` status lines, so no second gpg run (key listing) is needed.
public struct SignatureVerifier: Sendable {
    /// The GnuPG home directory whose public keyring holds the trusted keys (absolute).
    public let home: String

    /// `home`: a GnuPG home directory whose public keyring holds the keys trusted for this purpose (e.g. the
    /// Debian buildd keys for buildinfo files of [debian]). Validates that it exists, is a directory and has a
    /// public keyring (`pubring.kbx` or `pubring.gpg`), and that GPGME finds a usable `gpg`.
    public init(home: String) throws(OpenPGPError) {
        let operation = "open keyring"
        let absolute = try GnuPGHome.directory(home, operation: operation)
        let keyrings = ["pubring.kbx", "pubring.gpg"].map { absolute + "/" + $0 }
        guard keyrings.contains(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw OpenPGPError(
                operation: operation,
                message: "GnuPG home \(absolute) has no public keyring (pubring.kbx or pubring.gpg); "
                    + "import the trusted keys with 'gpg --homedir \(absolute) --import KEYS'")
        }
        guard GPGME.version != nil else {
            throw OpenPGPError(operation: operation, message: "the GPGME library failed to initialize")
        }
        let engine = gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP)
        guard engine == 0 else {
            throw OpenPGPError(
                operation: operation,
                message: "GnuPG (gpg) is missing or too old for GPGME: \(GPGME.describe(engine))")
        }
        self.home = absolute
    }

    /// Verifies a detached ASCII-armored signature over `signedText` (the canonical cleartext: for a clearsigned
    /// file, the parser gives `CleartextSignature.canonicalSignedText` and `armoredSignature`). Succeeds only when
    /// there is at least one signature and every signature is good (see the type's documentation), and reports
    /// the signer of the first one.
    public func verify(signedText: [UInt8], armoredSignature: String) throws(OpenPGPError) -> VerifiedSignature {
        try verify(signedText: signedText, signature: Array(armoredSignature.utf8))
    }

    /// The same for a detached signature armored or binary (as `DetachedSigner` makes it): gpg tells them apart.
    public func verify(signedText: [UInt8], signature signatureBytes: [UInt8]) throws(OpenPGPError) -> VerifiedSignature {
        let operation = "verify signature"
        let context = try GPGMEContext(home: home, operation: operation)
        // Results and keys GPGME hands out live in the context: it must outlive every read of them,
        // not only its own last use (Swift may release it right after that).
        defer { withExtendedLifetime(context) {} }
        let status = StatusLines()
        let attached = status.attach(to: context)
        if attached != 0 {
            throw OpenPGPError(operation: operation, message: "cannot collect gpg's status: \(GPGME.describe(attached))")
        }
        let signature = try GPGMEData(copying: signatureBytes, operation: operation, what: "signature")
        let text = try GPGMEData(copying: signedText, operation: operation, what: "signed text")

        let error = withExtendedLifetime(status) { gpgme_op_verify(context.raw, signature.raw, text.raw, nil) }
        if error != 0 {
            throw OpenPGPError(operation: operation, message: Self.describeFailure(error))
        }
        guard let result = gpgme_op_verify_result(context.raw), let first = result.pointee.signatures else {
            throw OpenPGPError(operation: operation, message: "no signature found")
        }
        var signer: VerifiedSignature?
        var next: gpgme_signature_t? = first
        while let current = next {
            let verified = try check(current, status: status, operation: operation)
            if signer == nil { signer = verified }
            next = current.pointee.next
        }
        guard let signer else {
            throw OpenPGPError(operation: operation, message: "no signature found")
        }
        return signer
    }

    /// Why `gpgme_op_verify` itself failed (before any signature could be checked).
    private static func describeFailure(_ error: gpgme_error_t) -> String {
        switch GPGME.code(error) {
        case GPG_ERR_NO_DATA:
            return "no signature found (the armored signature holds no OpenPGP signature)"
        case GPG_ERR_BAD_DATA, GPG_ERR_INV_PACKET, GPG_ERR_INV_ARMOR, GPG_ERR_BAD_SIGNATURE, GPG_ERR_UNEXPECTED:
            return "the armored signature is not a valid OpenPGP signature: \(GPGME.describe(error))"
        default:
            return "gpg failed: \(GPGME.describe(error))"
        }
    }

    /// The signer if `signature` is good, else why not.
    private func check(
        _ signature: gpgme_signature_t, status: StatusLines, operation: String
    ) throws(OpenPGPError) -> VerifiedSignature {
        func fail(_ message: String) -> OpenPGPError {
            OpenPGPError(operation: operation, message: message)
        }
        // A good signature names the signing (sub)key's fingerprint; a failed one often only the
        // 16-hex key ID from the signature packet.
        let id = GPGME.string(signature.pointee.fpr)?.uppercased() ?? ""
        let code = GPGME.code(signature.pointee.status)
        if code == GPG_ERR_NO_PUBKEY || id.isEmpty {
            throw fail("signed by unknown key \(id.isEmpty ? "(no key ID in the signature)" : id) (not in \(home))")
        }
        let who = status.userID(ofKey: id).map { "\(id) (\($0))" } ?? id
        let expired = status.keyExpiries.count == 1 ? Self.date(status.keyExpiries[0]).map { " (expired \($0))" } ?? "" : ""
        let signatureExpiry = Self.date(signature.pointee.exp_timestamp).map { " on \($0)" } ?? ""

        switch code {
        case GPG_ERR_NO_ERROR:
            break
        case GPG_ERR_BAD_SIGNATURE:
            throw fail("bad signature by \(who): the signed text is not what was signed (altered, or not in canonical form)")
        case GPG_ERR_KEY_EXPIRED:
            throw fail("signature made by expired key \(who)\(expired)")
        case GPG_ERR_CERT_REVOKED:
            throw fail("signature made by revoked key \(who)")
        case GPG_ERR_SIG_EXPIRED:
            throw fail("signature by \(who) expired\(signatureExpiry)")
        default:
            throw fail("cannot check the signature by \(who): \(GPGME.describe(signature.pointee.status))")
        }

        // GnuPG said GOODSIG; make sure nothing else disqualifies the signature.
        let summary = signature.pointee.summary.rawValue
        func has(_ flag: gpgme_sigsum_t) -> Bool { summary & flag.rawValue != 0 }
        if has(GPGME_SIGSUM_KEY_REVOKED) { throw fail("signature made by revoked key \(who)") }
        if has(GPGME_SIGSUM_KEY_EXPIRED) { throw fail("signature made by expired key \(who)\(expired)") }
        if has(GPGME_SIGSUM_SIG_EXPIRED) { throw fail("signature by \(who) expired\(signatureExpiry)") }
        if has(GPGME_SIGSUM_KEY_MISSING) { throw fail("signed by unknown key \(id) (not in \(home))") }
        if has(GPGME_SIGSUM_RED) { throw fail("signature by \(who) is marked bad by GnuPG") }
        if signature.pointee.wrong_key_usage != 0 {
            throw fail("signature made by key \(who), which is not allowed to sign")
        }
        guard let fingerprint = status.primaryFingerprint(ofSigningKey: id) else {
            throw fail("gpg reported a good signature by \(id) but no VALIDSIG status line")
        }
        return VerifiedSignature(
            fingerprint: fingerprint,
            userID: status.userID(ofKey: id),
            created: signature.pointee.timestamp == 0
                ? nil : Date(timeIntervalSince1970: TimeInterval(signature.pointee.timestamp)))
    }

    private static func date(_ seconds: some BinaryInteger) -> String? {
        seconds > 0 ? Date(timeIntervalSince1970: TimeInterval(seconds)).ISO8601Format() : nil
    }
}
