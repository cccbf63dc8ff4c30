import OpenPGP
import Synchronization

/// Signers checked once and kept: checking a key runs gpg, and the stage signs with the same one
/// or two keys all day. A key that fails its check is not kept, so a fixed configuration (key
/// imported, expiry extended) is picked up by the next retry without a restart.
final class SignerCache: Sendable {
    private let signers = Mutex<[String: DetachedSigner]>([:])
    let home: String

    init(home: String) { self.home = home }

    func signer(for fingerprint: String) throws(OpenPGPError) -> DetachedSigner {
        if let known = signers.withLock({ $0[fingerprint] }) { return known }
        let made = try DetachedSigner(home: home, fingerprint: fingerprint)
        signers.withLock { $0[fingerprint] = made }
        return made
    }
}
