/// One distribution section ([debian], [qubesos], [fedora]) with [common] filling in what it
/// leaves unset, typed: the stages read these fields, never the section's keys.
public struct DistributionSettings: Sendable, Equatable {
    /// The section's name, which is also the `distribution` label of its tasks.
    public var name: String
    /// key: schedule_get — seconds between listings of its specs.
    public var scheduleGetSeconds: Double?
    /// key: schedule_generate_results — seconds between regenerations of its results.
    public var scheduleGenerateResultsSeconds: Double?
    /// key: in-toto-sign-key-fpr — signs links of reproduced files.
    public var signingKey: String?
    /// key: in-toto-sign-key-unreproducible-fpr — signs links of files that differ.
    public var unreproducibleSigningKey: String?
    /// key: repo-ssh-key — the upload's ssh key (a name in [publish] ssh-directory, or a path).
    public var uploadKey: String?
    /// key: repo-remote-ssh-host — where the published tree is uploaded (user@host).
    public var uploadHost: String?
    /// key: repo-remote-ssh-basedir — the directory on that host.
    public var uploadDirectory: String?
    /// key: buildinfos-baseurl
    public var buildinfosBaseURL: String?
    /// key: buildinfos-rsync-baseurl
    public var buildinfosRsyncBaseURL: String?
    /// key: package-sets-baseurl
    public var packageSetsBaseURL: String?
    /// key: archive-mirror
    public var archiveMirror: String?
    /// key: buildinfo-keyring — a GnuPG home whose keys may sign its buildinfo files.
    public var buildinfoKeyring: String?
    /// key: snapshot — the snapshot service (snapshot.debian.org's API) its build environments come from.
    public var snapshot: String?
    /// key: extra-repositories — apt repository lines, one a line, `deb [signed-by=KEYRING] URL
    /// SUITE COMPONENT...`: where the snapshot backend looks for packages the snapshot lacks.
    public var extraRepositories: [String]

    /// The names of keys that messages tell the operator to set.
    public enum KeyName {
        public static let signingKey = "in-toto-sign-key-fpr"
        public static let unreproducibleSigningKey = "in-toto-sign-key-unreproducible-fpr"
        public static let uploadHost = "repo-remote-ssh-host"
        public static let uploadDirectory = "repo-remote-ssh-basedir"
        public static let buildinfoKeyring = "buildinfo-keyring"
    }

    init(name: String, values: [String: String]) {
        self.name = name
        scheduleGetSeconds = values["schedule_get"].flatMap(Double.init)
        scheduleGenerateResultsSeconds = values["schedule_generate_results"].flatMap(Double.init)
        signingKey = values[KeyName.signingKey]
        unreproducibleSigningKey = values[KeyName.unreproducibleSigningKey]
        uploadKey = values["repo-ssh-key"]
        uploadHost = values[KeyName.uploadHost]
        uploadDirectory = values[KeyName.uploadDirectory]
        buildinfosBaseURL = values["buildinfos-baseurl"]
        buildinfosRsyncBaseURL = values["buildinfos-rsync-baseurl"]
        packageSetsBaseURL = values["package-sets-baseurl"]
        archiveMirror = values["archive-mirror"]
        buildinfoKeyring = values[KeyName.buildinfoKeyring]
        snapshot = values["snapshot"]
        extraRepositories = (values["extra-repositories"] ?? "").split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

extension RebuilderConfiguration {
    /// A distribution section, typed, with [common] filling in; nil when the file has none.
    public func distribution(_ name: String) -> DistributionSettings? {
        distributionSettings(for: name).map { DistributionSettings(name: name, values: $0) }
    }

    /// Every distribution section the file has, in the original's order.
    public var presentDistributions: [DistributionSettings] {
        RebuilderConfiguration.distributions.compactMap(distribution)
    }

    /// [common] alone: what applies to tasks of no distribution section.
    public var common: DistributionSettings {
        DistributionSettings(name: KnownSections.common, values: sections[KnownSections.common] ?? [:])
    }

    /// What applies to a spec of `name`: its section, or [common] alone when it has none.
    public func distributionOrCommon(_ name: String) -> DistributionSettings {
        distribution(name) ?? DistributionSettings(name: name, values: sections[KnownSections.common] ?? [:])
    }
}
