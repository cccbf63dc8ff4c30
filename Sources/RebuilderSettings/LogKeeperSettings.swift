/// `[logkeeper]`: the log keeper, which takes each build's output as it runs, commits it to a git
/// repository as a signed commit and only then writes a signed receipt. With the section present,
/// the build stage streams every build's output to the keeper and the attest stage signs a task
/// only after a good receipt for its build; without it, neither does.
public struct LogKeeperSettings: Sendable, Equatable {
    /// key: socket — the Unix socket the keeper listens on and the build stage connects to.
    public var socket: String = "/run/rebuilder/logkeeper.sock"
    /// key: directory — the keeper's own: `repository/` (the git work tree of logs), `receipts/`,
    /// `incoming/` (logs being received), `pending/` (committed logs waiting for their push).
    public var directory: String = "/var/lib/rebuilder/logs"
    /// key: gnupg-home — the GnuPG home with the keeper's secret key (read by the keeper only).
    public var gnupgHome: String = "/var/lib/rebuilder/logkeeper-gnupg"
    /// key: signing-key — the fingerprint of the key that signs commits and receipts.
    public var signingKey: String? = nil
    /// key: keyring — a GnuPG home holding the keeper's public key, which the attest stage checks
    /// receipts against.
    public var keyring: String = "/var/lib/rebuilder/logkeeper-keyring"
    /// key: senders — user names or uids allowed to send logs, taken from the socket's peer
    /// credentials; empty: any user who can open the socket.
    public var senders: [String] = []
    /// key: compress-above — logs larger than this many bytes are committed xz-compressed.
    public var compressAboveBytes: Int = 10 << 20
    /// key: push — `user@host:path` of a git repository the keeper pushes each commit to; a
    /// receipt is written only after the push succeeded.
    public var push: String? = nil
    /// key: push-port
    public var pushPort: Int? = nil
    /// key: push-key — the ssh private key for the push.
    public var pushKey: String? = nil
    /// key: push-known-hosts — a known_hosts file with the push host's key (checked strictly).
    public var pushKnownHosts: String? = nil
    /// key: receipt-attempts — how many times the attest stage waits for a missing receipt
    /// (with the spool's backoff) before the task fails.
    public var receiptAttempts: Int = 10

    public init() {}

    static let keys = ["socket", "directory", "gnupg-home", "signing-key", "keyring", "senders", "compress-above", "push",
                       "push-port", "push-key", "push-known-hosts", "receipt-attempts"]
}

extension LogKeeperSettings {
    init(section: IniSection, path: String) throws {
        self.init()
        for entry in section.entries {
            let value = SettingValue(entry: entry, section: section.name, path: path)
            switch entry.key {
            case "socket": socket = try value.absolutePath()
            case "directory": directory = try value.absolutePath()
            case "gnupg-home": gnupgHome = try value.absolutePath()
            case "signing-key":
                guard value.text.count == 40, value.text.allSatisfy(\.isHexDigit) else {
                    throw value.error(expected: "a key fingerprint of 40 hex digits")
                }
                signingKey = value.text
            case "keyring": keyring = try value.absolutePath()
            case "senders":
                senders = value.text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
                guard senders.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) } }) else {
                    throw value.error(expected: "user names or uids separated by spaces")
                }
            case "compress-above": compressAboveBytes = try value.byteSize()
            case "push":
                guard value.text.contains(":"), !value.text.hasPrefix("-"), !value.text.contains(where: \.isWhitespace) else {
                    throw value.error(expected: "user@host:path of a git repository")
                }
                push = value.text
            case "push-port": pushPort = try value.wholeNumber(in: 1...65535)
            case "push-key": pushKey = try value.absolutePath()
            case "push-known-hosts": pushKnownHosts = try value.absolutePath()
            case "receipt-attempts": receiptAttempts = try value.wholeNumber(in: 1...1000)
            default: throw KnownKeys.unknownKeyError(entry, section: section.name, known: Self.keys, path: path)
            }
        }
    }
}
