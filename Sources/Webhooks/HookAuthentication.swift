import Crypto
import Hexadecimal

/// The two ways a forge proves a delivery came from it, both checked in constant time: GitHub's
/// `X-Hub-Signature-256` (`sha256=` and the HMAC-SHA256 of the raw body under the shared secret)
/// and GitLab's `X-Gitlab-Token` (the secret itself).
public enum HookAuthentication {
    /// Whether `header` is the HMAC-SHA256 of `body` under `secret`.
    public static func hubSignatureMatches(_ header: String?, body: some Sequence<UInt8>, secret: [UInt8]) -> Bool {
        guard let header, header.hasPrefix("sha256="), let mac = Hex.decode(String(header.dropFirst("sha256=".count))),
              mac.count == SHA256.byteCount else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Array(body), using: SymmetricKey(data: secret))
    }

    /// Whether `token` equals `secret`, in time that depends only on their lengths.
    public static func tokenMatches(_ token: String?, secret: [UInt8]) -> Bool {
        guard let token else { return false }
        let given = Array(token.utf8)
        var difference = UInt8(given.count == secret.count ? 0 : 1)
        for index in 0..<max(given.count, secret.count) {
            difference |= (index < given.count ? given[index] : 0) ^ (index < secret.count ? secret[index] : 0)
        }
        return difference == 0
    }
}
