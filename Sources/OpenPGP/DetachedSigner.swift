import Foundation
import Hexadecimal
import Synchronization

/// Signs bytes with one secret key of a GnuPG home, as `gpg --detach-sign --digest-algo SHA256` would: a v4
/// binary-document (0x00) SHA-256 signature packet with an issuer fingerprint, by an RSA, DSA or Ed25519 key —
/// what in-toto verifiers accept.
///
/// **How.** The packet is built here, laid out as GnuPG 2.2 lays it out (`SignaturePacketBuilder`), and only
/// the private-key operation goes to the home's gpg-agent over Assuan (`SIGKEY`, `SETHASH`, `PKSIGN`) through
/// GPGME. No gpg process runs per signature (only one, in `init`, to check the home).
///
/// **Which key signs.** A configured subkey signs itself. For a configured primary key, the key gpg would pick:
/// the newest usable signing subkey whose secret part is present, else the primary key. The signature's issuer
/// (the in-toto `keyid`) is then that subkey, which a layout accepts when it lists the subkey under the primary key.
///
/// **Passphrases.** The key must be usable without a pinentry: no passphrase, or one gpg-agent already has
/// (e.g. `gpg-preset-passphrase`). Each session sets `OPTION pinentry-mode=error`, so a key that needs a
/// passphrase makes `sign` fail instead of waiting for one.
///
/// **Key changes after `init`.** gpg-agent knows nothing of expiry or revocation, so `sign` runs the checks of
/// `init` again (one key listing through gpg) when the keyring files changed (a revocation was imported, say),
/// when the key's expiry time has passed, and after any agent failure — then the error says what changed.
///
/// **Threads.** Each `sign` opens its own Assuan session; the cached key state is behind a lock. One signer may
/// be used from several threads at once. The calls block, so keep them off the Swift cooperative pool.
public struct DetachedSigner: Sendable {
    /// The GnuPG home directory holding the secret key (absolute).
    public let home: String
    /// The configured key's fingerprint, lowercase.
    public let fingerprint: String
    private let socket: String
    private let state: State

    /// The signing key as last checked, and the keyring it was checked against.
    private final class State: Sendable {
        let checked: Mutex<(key: SigningKey, stamp: KeyringStamp)>
        init(_ key: SigningKey, _ stamp: KeyringStamp) { checked = Mutex((key, stamp)) }
    }

    /// Checks up front, each with a message naming the fingerprint and the home: fingerprint well-formed
    /// (40 hex), key known, secret part present, not expired, not revoked, not disabled, can sign, RSA, DSA or
    /// Ed25519; gpg itself signs with it, SHA-256, without a pinentry (`GnuPGSignCheck`); the agent answers.
    public init(home: String, fingerprint: String) throws(OpenPGPError) {
        let operation = "open signing key"
        let home = try GnuPGHome.directory(home, operation: operation)
        guard let wanted = Hex.normalized(fingerprint, count: 40) else {
            throw OpenPGPError(
                operation: operation,
                message: "'\(fingerprint)' is not a key fingerprint (40 hex digits), for GnuPG home \(home)")
        }
        let stamp = KeyringStamp(home: home)
        let key = try SigningKey.check(wanted, in: home, operation: operation)
        // gpg starts the agent (the socket is looked up after it) and must itself sign SHA-256 here.
        try GnuPGSignCheck.run(wanted, in: home, operation: operation)
        socket = AgentSocket.path(home: home)
        let session = try AgentSession(socket: socket, operation: operation)
        do throws(AgentSession.Failure) {
            _ = try session.transact("GETINFO version")
        } catch {
            throw OpenPGPError(
                operation: operation,
                message: "key \(wanted) in \(home): gpg-agent does not answer at \(socket): \(GPGME.describe(error.error))")
        }
        self.home = home
        self.fingerprint = wanted
        state = State(key, stamp)
    }

    /// Signs `bytes`, creation time now; the result is parsed back with `SignaturePacket(parsing:)`.
    public func sign(_ bytes: [UInt8]) throws(OpenPGPError) -> SignaturePacket {
        let operation = "sign"
        var key = try currentKey(operation: operation)
        var retried = false
        while true {
            let builder = SignaturePacketBuilder(
                publicKeyAlgorithm: key.packetAlgorithm, issuer: Hex.bytes(key.fingerprint),
                created: UInt32(clamping: Int(Date().timeIntervalSince1970)))
            let digest = builder.digest(of: bytes)
            switch try privateKeyOperation(key, digest: digest, operation: operation) {
            case .success(let answer):
                let value = try SignatureValue(parsing: answer, algorithm: key.packetAlgorithm)
                return try SignaturePacket(parsing: builder.packet(digest: digest, values: value.values))
            case .failure(let failure):
                // The key may have changed (the checks of `init` then say how) or the agent may be gone: the
                // listing starts it again, so a lost connection is tried once more.
                key = try recheck(operation: operation)
                guard failure.transport, !retried else {
                    throw OpenPGPError(
                        operation: operation,
                        message: "key \(fingerprint) in \(home): gpg-agent failed to sign (\(failure.command)): "
                            + GnuPGSignCheck.describeRefusal(failure.error))
                }
                retried = true
            }
        }
    }

    /// The signing key, checked again when the keyring changed or its expiry time has passed.
    private func currentKey(operation: String) throws(OpenPGPError) -> SigningKey {
        let stamp = KeyringStamp(home: home)
        let now = Int(Date().timeIntervalSince1970)
        let cached = state.checked.withLock { $0 }
        if cached.stamp == stamp, cached.key.expires.map({ now < $0 }) ?? true { return cached.key }
        return try recheck(operation: operation)
    }

    private func recheck(operation: String) throws(OpenPGPError) -> SigningKey {
        let stamp = KeyringStamp(home: home)
        let key = try SigningKey.check(fingerprint, in: home, operation: operation)
        state.checked.withLock { $0 = (key, stamp) }
        return key
    }

    /// gpg-agent signs `digest` (SHA-256) with `key`'s secret part and returns its signature S-expression.
    private func privateKeyOperation(
        _ key: SigningKey, digest: [UInt8], operation: String
    ) throws(OpenPGPError) -> Result<[UInt8], AgentSession.Failure> {
        let session = try AgentSession(socket: socket, operation: operation)
        return Result { () throws(AgentSession.Failure) in
            _ = try session.transact("OPTION pinentry-mode=error")
            _ = try session.transact("SIGKEY \(key.keygrip)")
            _ = try session.transact("SETHASH 8 \(Hex.lowercase(digest))")
            return try session.transact("PKSIGN")
        }
    }
}
