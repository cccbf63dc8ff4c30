/// `[webhook]`: `rebuilder webhook`, the HTTP receiver of GitHub and GitLab webhooks (meant to
/// sit behind a reverse proxy). It can only write get requests and the commands stage's inbox ([commands] directory/inbox).
public struct WebhookSettings: Sendable, Equatable {
    /// key: listen — `host:port` to listen on.
    public var host: String = "127.0.0.1"
    public var port: Int = 8780
    /// key: github-secret-file — a file holding the secret GitHub signs deliveries with
    /// (X-Hub-Signature-256); unset: /hooks/github answers 404.
    public var githubSecretFile: String? = nil
    /// key: gitlab-token-file — a file holding the token GitLab sends (X-Gitlab-Token); unset: 404.
    public var gitlabTokenFile: String? = nil
    /// key: max-body — bytes a delivery may have; more is refused with 413.
    public var maximumBodyBytes: Int = 25 << 20
    /// key: specs — the specs a push asks the get stage for (spaces between); empty: every spec.
    public var specs: [String] = []
    /// key: state — the receiver's own: the deliveries already taken (replays are refused).
    public var state: String = "/var/lib/rebuilder/webhook"

    public init() {}

    static let keys = ["listen", "github-secret-file", "gitlab-token-file", "max-body", "specs", "state"]
}

extension WebhookSettings {
    init(section: IniSection, path: String) throws {
        self.init()
        for entry in section.entries {
            let value = SettingValue(entry: entry, section: section.name, path: path)
            switch entry.key {
            case "listen":
                guard let colon = value.text.lastIndex(of: ":"), let port = Int(value.text[value.text.index(after: colon)...]),
                      (0...65535).contains(port), colon > value.text.startIndex else {
                    throw value.error(expected: "host:port, such as 127.0.0.1:8780")
                }
                let named = value.text[..<colon]
                host = named.hasPrefix("[") && named.hasSuffix("]") ? String(named.dropFirst().dropLast()) : String(named)
                self.port = port
            case "github-secret-file": githubSecretFile = try value.absolutePath()
            case "gitlab-token-file": gitlabTokenFile = try value.absolutePath()
            case "max-body": maximumBodyBytes = try value.byteSize()
            case "specs": specs = value.text.split(separator: " ").map(String.init)
            case "state": state = try value.absolutePath()
            default: throw KnownKeys.unknownKeyError(entry, section: section.name, known: Self.keys, path: path)
            }
        }
    }
}
