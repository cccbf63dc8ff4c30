internal import CGPGME
import Foundation

/// Where gpg-agent of a GnuPG home listens, by GnuPG 2.2's rule (`gpgconf --homedir H --list-dirs agent-socket`):
/// `/run/user/<uid>/gnupg` (or `/var/run/user/<uid>/gnupg`) when that directory exists and is private to the user,
/// with `d.<zbase32 of the first 15 bytes of SHA-1 of the home>` appended for a home other than the default one;
/// otherwise the home itself. `gpgme_get_dirinfo("agent-socket")` answers for the default home only.
enum AgentSocket {
    /// `home` absolute, as gpg itself was given it. Read after gpg has run for the home (it creates the directory).
    static func path(home: String) -> String {
        let uid = getuid()
        for prefix in ["/run/user/\(uid)", "/var/run/user/\(uid)"] {
            var owner = stat()
            guard stat(prefix, &owner) == 0 else { continue }
            guard owner.st_uid == uid, owner.st_mode & 0o077 == 0 else { break }
            var directory = prefix + "/gnupg"
            if home != defaultHome() {
                directory += "/d." + zbase32(Array(SHA1.hash(Array(home.utf8)).prefix(15)))
            }
            guard FileManager.default.fileExists(atPath: directory) else { break }
            return directory + "/S.gpg-agent"
        }
        return home + "/S.gpg-agent"
    }

    private static func defaultHome() -> String? {
        _ = GPGME.version
        return gpgme_get_dirinfo("homedir").map { String(cString: $0) }
    }

    /// z-base-32 (as GnuPG's `zb32_encode`), most significant bits first.
    static func zbase32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ybndrfg8ejkmcpqxot1uwisza345h769".utf8)
        var text: [UInt8] = []
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | Int(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                text.append(alphabet[(buffer >> bits) & 31])
            }
        }
        if bits > 0 { text.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: text, as: UTF8.self)
    }
}
