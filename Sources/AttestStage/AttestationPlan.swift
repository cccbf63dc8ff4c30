import Buildinfo
import Publishing
import Rebuild

/// What a task's build result lets us attest, before any key is touched: for each side
/// (reproducible key, unreproducible key) and each binary version, the .deb files under apt's
/// local names with the hash to vouch for.
///
/// Per artifact: a .deb rebuilt bit for bit is attested with the reproducible key (its hash is
/// the shipped one, and the rebuilt one); a .deb that was rebuilt but differs is attested with the
/// unreproducible key, with the hash of what was rebuilt. Missing artifacts and files other than
/// .deb (apt checks nothing else) are not attested.
struct AttestationPlan: Equatable {
    struct Group: Equatable {
        var side: PublishedTree.Side
        /// The binary version, epoch included (`1:2.0-1`): apt asks for `sources/<binary>/<version>/`.
        var version: String
        /// apt's local file name → lowercase sha256 hex.
        var products: [String: String]
        /// Binary package names of the products.
        var binaries: [String] { Array(Set(products.keys.compactMap { DebFileName($0)?.package })).sorted() }
    }

    var source: String
    /// `amd64`, `all`, or `all+amd64` for a build of both.
    var architecture: String
    var groups: [Group]
    /// The build attempt the record is of: its log's receipt must be for the same one.
    var attempt: Int

    init(record: RebuildRecord, buildinfo: Buildinfo) throws(AttestationPlanError) {
        source = buildinfo.source
        attempt = record.attempt
        architecture = buildinfo.architectures.filter { $0 != "source" }.sorted().joined(separator: "+")
        guard !architecture.isEmpty else { throw AttestationPlanError(reason: "the buildinfo names no binary architecture") }
        var grouped: [String: [PublishedTree.Side: [String: String]]] = [:]
        for artifact in record.artifacts {
            guard let file = DebFileName(artifact.name) else { continue }
            let side: PublishedTree.Side
            let hash: String
            if artifact.matches {
                (side, hash) = (.reproducible, artifact.expectedSHA256)
            } else if let rebuilt = artifact.rebuiltSHA256 {
                (side, hash) = (.unreproducible, rebuilt)
            } else {
                continue
            }
            // Pool names drop the epoch; apt's local names and requests carry it.
            let version = buildinfo.version.epoch > 0 ? "\(buildinfo.version.epoch):\(file.version)" : file.version
            let aptName = "\(file.package)_\(version.replacingOccurrences(of: ":", with: "%3a"))_\(file.architecture).deb"
            grouped[version, default: [:]][side, default: [:]][aptName] = hash.lowercased()
        }
        groups = grouped.keys.sorted().flatMap { version in
            PublishedTree.Side.allCases.compactMap { side in
                grouped[version]?[side].map { Group(side: side, version: version, products: $0) }
            }
        }
    }
}

struct AttestationPlanError: Error, Equatable, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

/// `<package>_<version>_<arch>.deb`, as Debian names binary packages.
struct DebFileName: Equatable {
    var package: String
    var version: String
    var architecture: String

    init?(_ name: String) {
        guard name.hasSuffix(".deb") else { return nil }
        let parts = name.dropLast(4).split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        (package, version, architecture) = (String(parts[0]), String(parts[1]), String(parts[2]))
    }
}
