/// The section and key names rebuilder.conf may use.
///
/// The names of the original PackageRebuilder (fepitre/package-rebuilder, app/config.py)
/// are kept exactly as it spells them, underscores and dashes alike, so that an
/// existing rebuilder.conf reads unchanged.
enum KnownSections {
    static let spool = "spool"
    static let publish = "publish"
    static let logKeeper = "logkeeper"
    static let webhook = "webhook"
    static let commands = "commands"
    static let notify = "notify"
    /// `[stage.<name>]`, with `<name>` one of `StageSettings.knownStages`.
    static let stagePrefix = "stage."
    /// The original's Celery broker settings; accepted and ignored.
    static let celery = "celery"
    /// Defaults for the distribution sections (except `dist`).
    static let common = "common"
    /// The original's SUPPORTED_PROJECTS.
    static let distributions = ["debian", "qubesos", "fedora"]

    static var all: [String] {
        [spool, publish, logKeeper, webhook, commands, notify] + StageSettings.knownStages.map { stagePrefix + $0 } + [common] + distributions + [celery]
    }
}

enum KnownKeys {
    static let spool = [
        "root", "max-attempts", "backoff", "max-backoff", "rescan-period",
        "watch", "settle", "max-task-size", "fsync",
    ]
    static let stage = ["command", "concurrency", "timeout", "log-limit"]

    /// The original's SECTION_OPTIONS: allowed in [common] and in each distribution section,
    /// where a distribution's own value wins over [common].
    static let original = [
        "schedule_get",                          // seconds between fetches of new packages to rebuild
        "schedule_generate_results",             // seconds between regenerations of the results
        "snapshot",                              // snapshot service for repositories and API queries
        "in-toto-sign-key-fpr",                  // OpenPGP key signing in-toto links of reproducible builds
        "in-toto-sign-key-unreproducible-fpr",   // ... and of unreproducible ones
        "repo-ssh-key",                          // SSH private key name for uploads
        "repo-remote-ssh-host",                  // upload destination host (user@host)
        "repo-remote-ssh-basedir",               // upload directory on that host
        "dist",                                  // package sets to rebuild, space or newline separated
    ]
    /// Keys of ours in the same sections, for the get stage: where a distribution's upstream is.
    /// The original hard-coded these URLs; a rebuilder of a mirror or a test server needs them.
    static let upstream = [
        "buildinfos-baseurl",         // buildinfo files (and Debian's buildinfo-pool_<suite>_<arch>.list)
        "buildinfos-rsync-baseurl",   // Qubes OS: the repository listed with rsync --list-only
        "package-sets-baseurl",       // Debian: <set>.pkgset files under <baseurl>/<suite>/
        "archive-mirror",             // Debian: take builds from this mirror's Sources.xz/Packages.xz instead of the pool listing
    ]
    /// Keys of ours a distribution section may set besides: a GnuPG home whose keys may sign
    /// its buildinfo files (the build stage then refuses unsigned ones of that distribution).
    static let perDistribution = upstream + ["buildinfo-keyring", "extra-repositories"]
    /// Those of `upstream` that are URLs, with the schemes each may use.
    static let upstreamSchemes: [String: [String]] = [
        "buildinfos-baseurl": ["http", "https"],
        "buildinfos-rsync-baseurl": ["rsync"],
        "package-sets-baseurl": ["http", "https"],
        "archive-mirror": ["http", "https"],
    ]
    /// The original converts these with int(); anything else would have stopped it.
    static let originalWholeNumbers: Set<String> = ["schedule_get", "schedule_generate_results"]
    /// The original skips `dist` when copying [common] into the distribution sections.
    static let notInherited: Set<String> = ["dist"]

    static func unknownKeyError(_ entry: IniEntry, section: String, known: [String], path: String) -> ConfigurationError {
        ConfigurationError(
            path: path, line: entry.line,
            message: "unknown key '\(entry.key)' in [\(section)]"
                + SpellingSuggestion.hint(for: entry.key, among: known))
    }
}
