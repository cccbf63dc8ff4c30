/// Where apt-transport-in-toto looks for a .deb's link on a rebuilder: it splits apt's local file
/// name `name_version_arch.deb` (epoch colon written `%3a`) and fetches
/// `{rebuilder}/sources/{name}/{version}/metadata` (shared/in-toto-format.md §1).
public struct MetadataLocation: Sendable, Equatable {
    /// The binary package name.
    public var package: String
    /// The version as the file name spells it (`1%3a2.0-1`, or `2.0-1` for a pool name).
    public var version: String

    /// nil for names apt-transport-in-toto skips: not `.deb`, or not exactly three `_` parts.
    public init?(fileName: String) {
        guard fileName.hasSuffix(".deb") else { return nil }
        let parts = fileName.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        package = String(parts[0])
        version = String(parts[1])
    }

    /// The path below the rebuilder URL as the client sends it: `requests` re-quotes `%3a` as `%3A`.
    public var urlPath: String {
        "sources/\(package)/\(version.replacingAll("%3a", with: "%3A"))/metadata"
    }

    /// Paths below a rebuilder directory that can hold the metadata: the version as written, and —
    /// since web servers percent-decode the request — with `:` for `%3a`.
    public var directoryPaths: [String] {
        let decoded = version.replacingAll("%3a", with: ":")
        return [version, decoded].reduce(into: [String]()) { paths, candidate in
            let path = "sources/\(package)/\(candidate)/metadata"
            if !paths.contains(path) { paths.append(path) }
        }
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
