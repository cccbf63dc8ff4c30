/// `[commands]`: `rebuilder stage commands`, which carries out PGP-signed commands (Rebuild,
/// Retry, Hold, Release) dropped into its inbox by the webhook receiver or by hand.
public struct CommandsSettings: Sendable, Equatable {
    /// key: directory — the stage's own: `inbox/` (the webhook writes there), `done/`, `refused/`
    /// (each command with its reason beside it) and `accepted/` (the commands already carried
    /// out, so a replay is refused across restarts).
    public var directory: String = "/var/lib/rebuilder/commands"
    /// key: keyring — a GnuPG home holding the keys that may sign commands, and nothing else.
    public var keyring: String? = nil
    /// key: max-size — bytes a command file may have.
    public var maximumBytes: Int = 16 << 10
    /// key: max-age — how long before now a command's timestamp may be (Qubes OS: one hour).
    public var maximumAgeSeconds: Double = 3600
    /// key: max-ahead — how far after now a command's timestamp may be (clocks drift).
    public var maximumAheadSeconds: Double = 300
    /// keys: signer.<FINGERPRINT> = <commands> for <specs>, such as
    /// `signer.0123…CDEF = Rebuild Retry for bookworm+essential.amd64`; `*` for every command or
    /// spec. A signer without such a key may sign nothing.
    public var signers: [String: SignerPermission] = [:]

    public var inbox: String { directory + "/inbox" }

    public init() {}

    static let keys = ["directory", "keyring", "max-size", "max-age", "max-ahead", "signer.<FINGERPRINT>"]
    static let signerPrefix = "signer."
}

/// What one signer may command.
public struct SignerPermission: Sendable, Equatable {
    /// Command names (`Rebuild`, `Retry`, `Hold`, `Release`); nil: all.
    public var commands: Set<String>?
    /// Distribution specs; nil: all.
    public var specs: Set<String>?

    public init(commands: Set<String>?, specs: Set<String>?) {
        self.commands = commands
        self.specs = specs
    }

    public static let commandNames: Set<String> = ["Rebuild", "Retry", "Hold", "Release"]
}

extension CommandsSettings {
    init(section: IniSection, path: String) throws {
        self.init()
        for entry in section.entries {
            let value = SettingValue(entry: entry, section: section.name, path: path)
            switch entry.key {
            case "directory": directory = try value.absolutePath()
            case "keyring": keyring = try value.absolutePath()
            case "max-size": maximumBytes = try value.byteSize()
            case "max-age": maximumAgeSeconds = try value.seconds(allowingZero: false)
            case "max-ahead": maximumAheadSeconds = try value.seconds(allowingZero: true)
            case let key where key.hasPrefix(Self.signerPrefix):
                let fingerprint = String(key.dropFirst(Self.signerPrefix.count)).uppercased()
                guard fingerprint.count == 40 || fingerprint.count == 64, fingerprint.allSatisfy(\.isHexDigit) else {
                    throw ConfigurationError(path: path, line: entry.line,
                                             message: "[commands] \(key): expected signer.<FINGERPRINT>, 40 or 64 hex digits of the signer's primary key")
                }
                signers[fingerprint] = try Self.permission(value)
            default: throw KnownKeys.unknownKeyError(entry, section: section.name, known: Self.keys, path: path)
            }
        }
    }

    /// `Rebuild Retry for bookworm+essential.amd64`, `* for *`.
    private static func permission(_ value: SettingValue) throws -> SignerPermission {
        let words = value.text.split(separator: " ").map(String.init)
        guard let split = words.firstIndex(of: "for"), split > 0, split < words.count - 1 else {
            throw value.error(expected: "<commands> for <specs>, such as 'Rebuild Retry for bookworm+essential.amd64' or '* for *'")
        }
        let commands = Array(words[..<split]), specs = Array(words[(split + 1)...])
        for command in commands where command != "*" && !SignerPermission.commandNames.contains(command) {
            throw value.error(expected: "commands among \(SignerPermission.commandNames.sorted().joined(separator: ", ")) or *, not '\(command)'")
        }
        for spec in specs where spec != "*" && DistributionSpec(parsing: spec) == nil {
            throw value.error(expected: "distribution specs such as bookworm+essential.amd64 or *, not '\(spec)'")
        }
        return SignerPermission(commands: commands.contains("*") ? nil : Set(commands), specs: specs.contains("*") ? nil : Set(specs))
    }
}
