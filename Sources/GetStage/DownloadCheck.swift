import Buildinfo
import Upstream

/// A downloaded buildinfo must be the build the listing named: a server that answers with an
/// error page, another package's file or garbage is caught here, before anything reaches the spool.
enum DownloadCheck {
    /// The parsed file, or why it is not the expected build.
    static func check(_ bytes: [UInt8], of build: UpstreamBuild, url: String) throws(GetError) -> Buildinfo {
        let buildinfo: Buildinfo
        do {
            buildinfo = try Buildinfo.parse(bytes, path: url)
        } catch {
            throw GetError(subject: url, reason: "not a buildinfo file: \(error.message)")
        }
        guard buildinfo.source == build.source else {
            throw GetError(subject: url, reason: "its Source is '\(buildinfo.source)', not '\(build.source)' as its name says")
        }
        guard buildinfo.version.withoutEpoch == build.version.withoutEpoch else {
            throw GetError(subject: url, reason: "its Version is '\(buildinfo.version)', not '\(build.version)' as its name says")
        }
        return buildinfo
    }
}
