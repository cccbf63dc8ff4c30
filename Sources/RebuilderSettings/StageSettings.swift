import Spool

/// `[stage.<name>]`: how one stage daemon runs its tasks.
public struct StageSettings: Sendable, Equatable {
    /// key: command — the program and its first arguments, split like a POSIX shell splits
    /// quoted words but with no expansion (see `ShellWords`). nil means the stage has no
    /// command configured.
    public var command: [String]? = nil
    /// key: concurrency (1...256) — tasks this stage runs at the same time.
    public var concurrency: Int = 1
    /// key: timeout — seconds a command may run; nil means no limit.
    public var timeoutSeconds: Double? = nil
    /// key: log-limit — bytes of a job's output kept in its log; the rest is dropped and marked.
    public var logLimitBytes: Int = 64 << 20

    /// The build stage's rebuild settings (keys only [stage.build] takes); nil for other stages.
    public var rebuild: RebuildStageSettings? = nil
    /// The get stage's download limits (keys only [stage.get] takes); defaults for [stage.get].
    public var get: GetStageSettings = GetStageSettings()

    public init() {}

    /// The stages a `[stage.<name>]` section may name, in pipeline order.
    public static let knownStages = Stage.allCases.map(\.name)
}

extension StageSettings {
    /// Starts from the defaults and applies the keys the section sets.
    init(section: IniSection, path: String) throws {
        self.init()
        for entry in section.entries {
            let value = SettingValue(entry: entry, section: section.name, path: path)
            switch entry.key {
            case "command": command = try value.commandWords()
            case "concurrency": concurrency = try value.wholeNumber(in: 1...256)
            case "timeout": timeoutSeconds = try value.seconds(allowingZero: false)
            case "log-limit": logLimitBytes = try value.byteSize()
            case _ where RebuildStageSettings.keys.contains(entry.key):
                guard section.name == KnownSections.stagePrefix + Stage.build.name else {
                    throw ConfigurationError(path: path, line: entry.line,
                                             message: "'\(entry.key)' belongs in [\(KnownSections.stagePrefix)\(Stage.build)], not [\(section.name)]")
                }
                var settings = rebuild ?? RebuildStageSettings()
                try settings.apply(entry.key, value)
                rebuild = settings
            case _ where GetStageSettings.keys.contains(entry.key):
                guard section.name == KnownSections.stagePrefix + Stage.get.name else {
                    throw ConfigurationError(path: path, line: entry.line,
                                             message: "'\(entry.key)' belongs in [\(KnownSections.stagePrefix)\(Stage.get)], not [\(section.name)]")
                }
                try get.apply(entry.key, value)
            default:
                throw KnownKeys.unknownKeyError(entry, section: section.name,
                                                known: KnownKeys.stage + RebuildStageSettings.keys + GetStageSettings.keys, path: path)
            }
        }
    }
}
