import RebuilderSettings
import Upstream

/// Where a distribution's upstream is: the original's built-in addresses unless the
/// distribution section (or [common]) says otherwise.
public struct UpstreamLocation: Sendable, Equatable {
    /// Buildinfo files: Debian's buildinfos.debian.net (also its pool listings), Qubes OS's
    /// deb.qubes-os.org.
    public var buildinfos: String
    /// Debian's package sets: `<packageSets>/<suite>/<set>.pkgset`.
    public var packageSets: String
    /// Debian: when set, builds come from this mirror's Sources.xz/Packages.xz rather than from
    /// the buildinfo pool listing.
    public var archiveMirror: String?
    /// Qubes OS: the repository tree listed with `rsync --list-only`.
    public var rsync: String

    public init(buildinfos: String, packageSets: String, archiveMirror: String?, rsync: String) {
        self.buildinfos = Self.trimmed(buildinfos)
        self.packageSets = Self.trimmed(packageSets)
        self.archiveMirror = archiveMirror.map(Self.trimmed)
        self.rsync = Self.trimmed(rsync)
    }

    init(settings: DistributionSettings, upstream: UpstreamDistribution) {
        let defaultBuildinfos: String
        switch upstream {
        case .qubes: defaultBuildinfos = "https://deb.qubes-os.org"
        default: defaultBuildinfos = "https://buildinfos.debian.net"
        }
        self.init(buildinfos: settings.buildinfosBaseURL ?? defaultBuildinfos,
                  packageSets: settings.packageSetsBaseURL ?? "https://jenkins.debian.net/userContent/reproducible/debian/pkg-sets",
                  archiveMirror: settings.archiveMirror,
                  rsync: settings.buildinfosRsyncBaseURL ?? "rsync://ftp.qubes-os.org/qubes-mirror/repo")
    }

    private static func trimmed(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
