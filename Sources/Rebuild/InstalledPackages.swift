import Buildinfo

/// The packages an environment has installed, read from its dpkg status file, to compare with
/// the buildinfo's Installed-Build-Depends.
public struct InstalledPackages: Sendable, Equatable {
    /// `name:architecture` → version.
    public var versions: [String: String]

    public init(versions: [String: String]) { self.versions = versions }

    /// From `var/lib/dpkg/status`: the paragraphs whose Status ends in `installed`.
    public static func parse(status bytes: [UInt8], path: String) throws(BuildinfoError) -> InstalledPackages {
        var versions: [String: String] = [:]
        for paragraph in try Deb822.parse(bytes, path: path) {
            guard let status = paragraph["Status"]?.value, status.hasSuffix(" installed"),
                  let name = paragraph["Package"]?.value, let version = paragraph["Version"]?.value else { continue }
            versions["\(name):\(paragraph["Architecture"]?.value ?? "all")"] = version
        }
        return InstalledPackages(versions: versions)
    }

    /// Every way the environment differs from `wanted`, one line each; empty when it has exactly
    /// those packages at those versions.
    public func differences(from wanted: [PackageVersion]) -> [String] {
        var expected: [String: String] = [:]
        for package in wanted { expected[package.name] = package.version.description }
        var found: [String: String] = [:]
        for (key, version) in versions {
            let name = String(key.split(separator: ":")[0])
            found[name] = version
        }
        var lines: [String] = []
        for (name, version) in expected.sorted(by: { $0.key < $1.key }) {
            switch found[name] {
            case nil: lines.append("\(name) (= \(version)) is not installed")
            case let have? where have != version: lines.append("\(name): installed \(have), the buildinfo names \(version)")
            default: break
            }
        }
        for (name, version) in found.sorted(by: { $0.key < $1.key }) where expected[name] == nil {
            lines.append("\(name) \(version) is installed but not in the buildinfo")
        }
        return lines
    }
}
