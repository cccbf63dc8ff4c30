/// `[publish]`: where the attest, report and upload stages put what a rebuilder publishes, and the
/// keys they use. Which key signs and where a project is uploaded stay in the original's
/// [common]/[debian]/[qubesos] keys (`in-toto-sign-key-fpr`, `repo-remote-ssh-host`, ...).
public struct PublishSettings: Sendable, Equatable {
    /// key: root — the published tree; each project has its own subtree (`debian/`, `qubesos/deb/r4.1/vm/`).
    public var root: String = "/var/lib/rebuilder/published"
    /// key: gnupg-home — the GnuPG home holding the in-toto signing keys (read by the attest stage only).
    public var gnupgHome: String = "/var/lib/rebuilder/gnupg"
    /// key: prometheus-directory — node_exporter's textfile directory; the report stage writes
    /// `rebuilder_<project>.prom` there. Unset: no textfile is written.
    public var prometheusDirectory: String? = nil
    /// key: ssh-directory — where `repo-ssh-key` names a private key, unless it is an absolute path.
    public var sshDirectory: String = "/var/lib/rebuilder/ssh"
    /// key: ssh-port — the port of every project's upload host.
    public var sshPort: Int = 22
    /// key: known-hosts — a known_hosts file with the upload hosts' keys; unset: ssh's own files.
    /// Host keys are always checked strictly.
    public var knownHosts: String? = nil

    public init() {}

    static let keys = ["root", "gnupg-home", "prometheus-directory", "ssh-directory", "ssh-port", "known-hosts"]
}

extension PublishSettings {
    init(section: IniSection, path: String) throws {
        self.init()
        for entry in section.entries {
            let value = SettingValue(entry: entry, section: section.name, path: path)
            switch entry.key {
            case "root": root = try value.absolutePath()
            case "gnupg-home": gnupgHome = try value.absolutePath()
            case "prometheus-directory": prometheusDirectory = try value.absolutePath()
            case "ssh-directory": sshDirectory = try value.absolutePath()
            case "ssh-port": sshPort = try value.wholeNumber(in: 1...65535)
            case "known-hosts": knownHosts = try value.absolutePath()
            default: throw KnownKeys.unknownKeyError(entry, section: section.name, known: Self.keys, path: path)
            }
        }
    }
}
