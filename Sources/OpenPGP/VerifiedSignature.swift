import Foundation

/// A verified signature: who signed.
public struct VerifiedSignature: Sendable, Equatable {
    /// The fingerprint of the signer's primary key (40 upper-case hex digits for a v4 key), as
    /// `gpg --with-colons --list-keys` shows it in its first `fpr` line, even when a subkey made
    /// the signature.
    public var fingerprint: String
    /// The key's first user ID ("Debian buildd <buildd_amd64-x86-ubc-01@buildd.debian.org>"), if any.
    public var userID: String?
    /// When the signature says it was made; nil if it does not say.
    public var created: Date?

    public init(fingerprint: String, userID: String?, created: Date?) {
        self.fingerprint = fingerprint
        self.userID = userID
        self.created = created
    }
}
