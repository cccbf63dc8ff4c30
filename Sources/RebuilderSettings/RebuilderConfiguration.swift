import Spool

/// Everything rebuilder.conf says, typed and checked.
///
/// The file keeps the original PackageRebuilder's sections ([common], [debian], [qubesos],
/// [fedora], and [celery], which is ignored) and adds [spool], [publish], [logkeeper], [webhook], [commands], [notify] and [stage.<name>].
/// Anything unknown or malformed is an error naming file and line: a typo must not
/// silently fall back to a default on a machine that runs unattended.
public struct RebuilderConfiguration: Sendable, Equatable {
    public var spool: SpoolSettings
    public var publish: PublishSettings
    /// [logkeeper] when the file has it: builds are logged through the keeper and signed only
    /// after its receipt.
    public var logKeeper: LogKeeperSettings?
    public var webhook: WebhookSettings
    public var commands: CommandsSettings
    /// [notify]: who is told when a task finished; nobody without the section.
    public var notify: NotifySettings
    /// Keyed by stage name (`Stage.name`); every known stage is present, with defaults when
    /// the file has no section for it.
    public var stages: [String: StageSettings]

    /// The settings of one stage: its section's, or the defaults.
    public func settings(for stage: Stage) -> StageSettings { stages[stage.name] ?? StageSettings() }
    /// [common], [debian], [qubesos], [fedora] as read (only those present in the file),
    /// for the features that will use them. See `distributionSettings(for:)`.
    public var sections: [String: [String: String]]
    /// Every spec of the distribution sections' `dist` keys, in file order, with its line.
    public var configuredSpecs: [ConfiguredSpec]
    /// Things worth telling the operator that are not errors, each as "path:line: text".
    public var notices: [String]

    public static let defaultPath = "/etc/rebuilder/rebuilder.conf"

    /// All defaults, as if the file were empty.
    public init() {
        spool = SpoolSettings()
        publish = PublishSettings()
        logKeeper = nil
        webhook = WebhookSettings()
        commands = CommandsSettings()
        notify = NotifySettings()
        stages = Dictionary(uniqueKeysWithValues: StageSettings.knownStages.map { ($0, StageSettings()) })
        sections = [:]
        configuredSpecs = []
        notices = []
    }

    /// Reads and checks the file; throws `ConfigurationError`.
    public static func load(path: String) throws -> RebuilderConfiguration {
        try parse(text: ConfigurationFile.readText(path: path), path: path)
    }

    /// Checks text that came from `path` (used only in messages); throws `ConfigurationError`.
    public static func parse(text: String, path: String) throws -> RebuilderConfiguration {
        let document = try IniParser.parse(text, path: path)
        var configuration = RebuilderConfiguration()
        for section in document.sections {
            try configuration.apply(section, path: path)
        }
        return configuration
    }

    private mutating func apply(_ section: IniSection, path: String) throws {
        let name = section.name
        if name == KnownSections.spool {
            spool = try SpoolSettings(section: section, path: path)
        } else if name == KnownSections.publish {
            publish = try PublishSettings(section: section, path: path)
        } else if name == KnownSections.webhook {
            webhook = try WebhookSettings(section: section, path: path)
        } else if name == KnownSections.commands {
            commands = try CommandsSettings(section: section, path: path)
        } else if name == KnownSections.notify {
            notify = try NotifySettings(section: section, path: path)
        } else if name == KnownSections.logKeeper {
            logKeeper = try LogKeeperSettings(section: section, path: path)
        } else if name.hasPrefix(KnownSections.stagePrefix) {
            let stage = String(name.dropFirst(KnownSections.stagePrefix.count))
            guard StageSettings.knownStages.contains(stage) else {
                throw ConfigurationError(
                    path: path, line: section.line,
                    message: "unknown stage '\(stage)' in [\(name)]; expected one of "
                        + StageSettings.knownStages.joined(separator: ", ")
                        + SpellingSuggestion.hint(for: stage, among: StageSettings.knownStages))
            }
            stages[stage] = try StageSettings(section: section, path: path)
        } else if name == KnownSections.common || KnownSections.distributions.contains(name) {
            sections[name] = try OriginalSections.read(section, path: path, notices: &notices)
            if KnownSections.distributions.contains(name), let dist = section.entries.first(where: { $0.key == "dist" }) {
                configuredSpecs += try ConfiguredSpec.parse(dist, section: name, path: path)
            }
        } else if name == KnownSections.celery {
            notices.append(OriginalSections.celeryNotice(section, path: path))
        } else {
            throw ConfigurationError(
                path: path, line: section.line,
                message: "unknown section [\(name)]; expected "
                    + KnownSections.all.map { "[\($0)]" }.joined(separator: ", ")
                    + SpellingSuggestion.hint(for: name, among: KnownSections.all) { "[\($0)]" })
        }
    }
}
