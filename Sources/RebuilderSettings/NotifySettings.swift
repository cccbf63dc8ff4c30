/// `[notify]`: `rebuilder stage notify`, which tells people and programs about each task that
/// reached a final state (`uploaded/`, `failed/`): a JSON summary POSTed to `urls`, or given to
/// `command` on its standard input. It only reads finished tasks, so a receiver that is down or
/// slow never holds the pipeline up. Without `urls` and `command` it has nothing to do.
public struct NotifySettings: Sendable, Equatable {
    /// key: urls — http or https URLs (spaces or lines between) each summary is POSTed to.
    public var urls: [String] = []
    /// key: command — a program and its first arguments, split like a shell splits words but with
    /// no expansion (see `ShellWords`); it gets the summary on its standard input, exit 0 is success.
    public var command: [String]? = nil
    /// key: timeout — seconds one POST (connection included) or one run of the command may take.
    public var timeoutSeconds: Double = 30
    /// key: attempts — tries per receiver before its notification is given up.
    public var attempts: Int = 5
    /// key: retry-delay — seconds before the second try; doubled for each try after it, up to an hour.
    public var retryDelaySeconds: Double = 60
    /// key: links-base — the URL the published tree (`[publish] root`) is served at; the summary's
    /// links are `<links-base>/<project>/<path>`. Unset: paths relative to the published tree.
    public var linksBase: String? = nil
    /// key: concurrency — notifications sent at the same time (a receiver that times out holds one).
    public var concurrency: Int = 2
    /// key: max-age — seconds: a task that finished longer ago than this when the notifier first
    /// sees it (a spool that had finished tasks before notifications were set up) is recorded as
    /// not notified instead of being sent.
    public var maxAgeSeconds: Double = 7 * 24 * 3600

    public init() {}

    /// Whether there is anyone to notify.
    public var hasReceivers: Bool { !urls.isEmpty || command != nil }

    static let keys = ["urls", "command", "timeout", "attempts", "retry-delay", "links-base", "concurrency", "max-age"]
}

extension NotifySettings {
    init(section: IniSection, path: String) throws {
        self.init()
        for entry in section.entries {
            let value = SettingValue(entry: entry, section: section.name, path: path)
            switch entry.key {
            case "urls":
                urls = try value.text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
                    .map { try value.url(String($0), schemes: ["http", "https"]) }
            case "command": command = try value.commandWords()
            case "timeout": timeoutSeconds = try value.seconds(allowingZero: false)
            case "attempts": attempts = try value.wholeNumber(in: 1...100)
            case "retry-delay": retryDelaySeconds = try value.seconds(allowingZero: false)
            case "links-base": linksBase = try value.url(schemes: ["http", "https"])
            case "concurrency": concurrency = try value.wholeNumber(in: 1...64)
            case "max-age": maxAgeSeconds = try value.seconds(allowingZero: false)
            default: throw KnownKeys.unknownKeyError(entry, section: section.name, known: Self.keys, path: path)
            }
        }
    }
}
