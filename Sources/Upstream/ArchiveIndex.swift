import Buildinfo

/// The builds an archive mirror's indexes describe, as rebuilderd schedules Debian: every binary
/// of the architecture in `dists/<suite>/main/binary-<arch>/Packages` belongs to a source build,
/// which must be listed in `dists/<suite>/main/source/Sources`; the buildinfo file is then looked
/// for at buildinfos.debian.net's layout.
public enum ArchiveIndex {
    /// The latest build per source of the binaries of `architecture` (`all`: binaries with
    /// `Architecture: all`; otherwise exactly that architecture, not `all`), from the decompressed
    /// `Sources` and `Packages` indexes.
    ///
    /// A binary's source is its `Source:` field (`name` or `name (version)`), else its own name;
    /// the source version is the one in `Source:`, else the binary's `Version`. A binary version
    /// ending in `+bN` whose source version is the version without it is a binNMU: the build's
    /// version is the source version plus `+bN` (with the epoch, which file names leave out).
    /// The source (name, version) must be in `Sources`, else the binary is rejected. Binaries of
    /// one source build make one build.
    ///
    /// Malformed stanzas are rejected (reasons begin with `Sources:` or `Packages:`, lines are
    /// those of that index). Throws for HTML, binary data or invalid UTF-8, for a `Sources` index
    /// without stanzas, and when more than half of either index's relevant stanzas are rejected
    /// (a `Sources` from another suite, say). An empty `Packages` gives no builds.
    /// `source` names the suite's URL in errors.
    public static func builds(
        sources: [UInt8], packages: [UInt8], architecture: String, source: String
    ) throws(UpstreamError) -> Selection {
        try Architecture.check(architecture, source: source)
        let sourcesName = source + " (Sources)"
        let packagesName = source + " (Packages)"
        let known = try sources.withUnsafeBufferPointer { bytes throws(UpstreamError) in
            try SourcesIndex.read(bytes, source: sourcesName)
        }
        var selection = try packages.withUnsafeBufferPointer { bytes throws(UpstreamError) in
            try PackagesIndex.read(
                bytes, sources: known.versions, architecture: architecture, source: packagesName)
        }
        selection.rejected = known.rejected + selection.rejected
        return selection
    }
}

/// A source package as `Sources` lists it.
struct SourceKey: Hashable {
    var name: String
    var version: DebianVersion
}

/// The (name, version) pairs of a `Sources` index.
enum SourcesIndex {
    static func read(
        _ bytes: UnsafeBufferPointer<UInt8>, source: String
    ) throws(UpstreamError) -> (versions: Set<SourceKey>, rejected: [RejectedEntry]) {
        try TextDocument.check(bytes, kind: "a Sources index", source: source)
        var versions = Set<SourceKey>()
        var rejected: [RejectedEntry] = []
        var stanzas = 0
        StanzaScanner(fields: ["Package", "Version"]).scan(bytes) { stanza in
            stanzas += 1
            func reject(_ reason: String) {
                rejected.append(RejectedEntry(
                    line: stanza.line, text: Printable.escaped(bytes, stanza.firstLine), reason: "Sources: " + reason))
            }
            if let problem = stanza.problem { return reject(problem) }
            guard let name = stanza.values[0], let version = stanza.values[1] else {
                return reject(stanza.values[0] == nil ? "no Package field" : "no Version field")
            }
            guard ByteText.isPackageName(bytes, name) else {
                return reject("'\(Printable.escaped(bytes, name))' is not a Debian package name")
            }
            do throws(DebianVersionError) {
                let parsed = try DebianVersion(ByteText.string(bytes, version))
                versions.insert(SourceKey(name: ByteText.string(bytes, name), version: parsed))
            } catch {
                reject(error.description)
            }
        }
        try RejectionLimit.check(rejected: rejected, entries: stanzas, kind: "a Sources index", source: source)
        return (versions, rejected)
    }
}
