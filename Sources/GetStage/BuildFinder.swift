import Fetching
import Upstream

/// A build to rebuild and where its buildinfo file is.
public struct FoundBuild: Sendable, Equatable {
    public var build: UpstreamBuild
    public var url: String
}

/// What one spec's upstream offers now: the builds of its package sets, newest per source.
public struct FoundBuilds: Sendable {
    public var builds: [FoundBuild] = []
    /// Listing lines refused one by one (the rest of the listing is still used).
    public var rejected: [GetError] = []
    /// Each package set's source names, when the spec names sets (and not `full`).
    public var packageSets: [String: Set<String>] = [:]
}

/// Reads a target's upstream: the listing or indexes, then its package sets. Every fetch obeys
/// `limits`; anything malformed is an error naming the URL (and line), nothing is guessed.
struct BuildFinder {
    var client: HTTPClient
    var limits: FetchLimits

    func find(_ target: GetTarget) throws(GetError) -> FoundBuilds {
        let spec = target.spec
        switch target.upstream {
        case .debian(let suite):
            let base = target.location.buildinfos
            let selection: Selection
            let listing: String
            if let mirror = target.location.archiveMirror {
                (selection, listing) = try archiveSelection(mirror: mirror, suite: suite, architecture: spec.architecture)
            } else {
                listing = "\(base)/buildinfo-pool_\(suite)_\(spec.architecture).list"
                let bytes = try fetch(listing)
                selection = try parse(listing) { () throws(UpstreamError) in try BuildinfoPool.latest(listing: bytes, architecture: spec.architecture, source: listing) }
            }
            let sets = try packageSets(target)
            let names = sets.isEmpty ? nil : sets.values.reduce(into: Set<String>()) { $0.formUnion($1) }
            var found = FoundBuilds(rejected: Self.rejections(selection, in: listing), packageSets: sets)
            for build in selection.builds where names?.contains(build.source) ?? true {
                found.builds.append(FoundBuild(build: build, url: base + build.path))
            }
            return found
        case .qubes(let qubes):
            let url = "\(target.location.rsync)/\(qubes.repositoryPath)/"
            let entries: [RsyncEntry]
            do {
                entries = try RsyncListing.list(url, excluding: ["all-versions"], timeout: limits.timeout)
            } catch {
                throw GetError(subject: url, reason: "\(error)")
            }
            let selection = QubesRepository.candidates(paths: entries.filter { !$0.isDirectory }.map(\.path),
                                                       distribution: qubes, source: url)
            let web = "\(target.location.buildinfos)/r\(qubes.release)/\(qubes.packageSet)/"
            return FoundBuilds(builds: selection.builds.map { FoundBuild(build: $0, url: web + $0.path) },
                               rejected: Self.rejections(selection, in: url))
        case .fedora(let name):
            throw GetError(subject: target.configured.location, reason: "'\(spec.raw)': following \(name) is not supported yet")
        }
    }

    /// The source names of each of the spec's package sets; none for the whole suite (no set, or `full`).
    private func packageSets(_ target: GetTarget) throws(GetError) -> [String: Set<String>] {
        let sets = target.spec.packageSets
        guard !sets.contains(PackageSet.full) else { return [:] }
        var names: [String: Set<String>] = [:]
        for set in sets {
            let url = "\(target.location.packageSets)/\(target.spec.suite)/\(set).pkgset"
            let bytes = try fetch(url)
            names[set] = try parse(url) { () throws(UpstreamError) in try PackageSet.names(in: bytes, source: url) }
        }
        return names
    }

    /// rebuilderd's way: the mirror's Sources and Packages indexes of `main`.
    private func archiveSelection(mirror: String, suite: String, architecture: String) throws(GetError) -> (Selection, String) {
        let dists = "\(mirror)/dists/\(suite)/main"
        let sourcesURL = "\(dists)/source/Sources.xz"
        let packagesURL = "\(dists)/binary-\(architecture)/Packages.xz"
        let sources = try decompressed(sourcesURL)
        let packages = try decompressed(packagesURL)
        // Refusals name their index ("Sources:" or "Packages:") and its line; the subject is both indexes' directory.
        let selection = try parse(dists) { () throws(UpstreamError) in
            try ArchiveIndex.builds(sources: sources, packages: packages, architecture: architecture, source: dists)
        }
        return (selection, dists)
    }

    private func decompressed(_ url: String) throws(GetError) -> [UInt8] {
        let compressed = try fetch(url)
        do {
            return try XZ.decompress(compressed, maximumBytes: limits.maximumBytes, source: url)
        } catch {
            throw GetError(subject: url, reason: error.reason)
        }
    }

    private func fetch(_ url: String) throws(GetError) -> [UInt8] {
        do {
            return try client.get(url, limits: limits)
        } catch {
            throw GetError(subject: url, reason: error.reason)
        }
    }

    /// Runs an Upstream parser, turning its error into ours.
    private func parse<T>(_ url: String, _ body: () throws(UpstreamError) -> T) throws(GetError) -> T {
        do {
            return try body()
        } catch {
            throw GetError(subject: error.line.map { "\(url):\($0)" } ?? url, reason: error.reason)
        }
    }

    private static func rejections(_ selection: Selection, in url: String) -> [GetError] {
        selection.rejected.map { GetError(subject: "\(url):\($0.line)", reason: "'\($0.text)': \($0.reason)") }
    }
}
