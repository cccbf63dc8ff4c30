import Buildinfo

/// A Qubes OS package repository (`deb/r4.1/vm` on the mirror), known from the file list
/// `rsync --list-only --recursive` gives: its file names cannot tell an `all` build from an
/// `amd64` one, so choosing is done in two steps, `candidates` then `buildArchitecture`.
public enum QubesRepository {
    /// The latest `.buildinfo` file per source among `paths` (relative to the repository
    /// directory, `pool/main/q/qubes-core-agent/qubes-core-agent_4.1.7-1+deb11u1_amd64.buildinfo`;
    /// a leading `deb/r4.1/vm/` as in a listing of the mirror's root is removed) whose version
    /// has the distribution's `+deb<N>u` mark, in dpkg order. Other files are skipped; `.buildinfo`
    /// paths failing the pool checks (`..`, `%`, directory not matching…) are rejected, with
    /// their 1-based position in `paths` as line. The architecture is the file name's: the
    /// caller downloads each candidate and asks `buildArchitecture` what it really is.
    /// `source` names the listing (the rsync URL); it is not needed since nothing is thrown.
    /// A Fedora distribution has no candidates (not supported yet).
    public static func candidates(paths: [String], distribution: QubesDistribution, source: String) -> Selection {
        guard let number = try? distribution.debianReleaseNumber else {
            return Selection(builds: [], rejected: [], entriesRead: paths.count)
        }
        let mark = Array("+deb\(number)u".utf8)
        let repositoryPrefix = distribution.repositoryPath + "/"
        var latest: [String: (build: UpstreamBuild, line: Int)] = [:]
        var rejected: [RejectedEntry] = []
        let suffix = PoolPath.suffix
        PoolPath.classes.withUnsafeBufferPointer { classes in
            for (index, original) in paths.enumerated() {
                let path = original.hasPrefix(repositoryPrefix) ? String(original.dropFirst(repositoryPrefix.count)) : original
                var scratch = path
                scratch.withUTF8 { bytes in
                    let range = 0..<bytes.count
                    guard range.count > suffix.count,
                        ByteText.equal(bytes, (range.upperBound - suffix.count)..<range.upperBound, suffix)
                    else { return }
                    switch PoolPath.check(bytes, range, absolute: false, classes: classes) {
                    case .rejected(let reason):
                        rejected.append(RejectedEntry(line: index + 1, text: Printable.escaped(original), reason: reason))
                    case .file(let file):
                        guard contains(bytes, file.version, mark) else { return }
                        let versionText = ByteText.string(bytes, file.version)
                        guard let version = try? DebianVersion(versionText) else {
                            rejected.append(RejectedEntry(
                                line: index + 1, text: Printable.escaped(original), reason: "invalid version"))
                            return
                        }
                        let name = ByteText.string(bytes, file.source)
                        if let best = latest[name], best.build.version >= version { return }
                        latest[name] = (UpstreamBuild(
                            source: name, version: version, architecture: ByteText.string(bytes, file.architecture),
                            fileName: ByteText.string(bytes, file.fileName), path: path), index)
                    }
                }
            }
        }
        let builds = latest.values.map(\.build).sorted {
            ($0.source, $0.architecture) < ($1.source, $1.architecture)
        }
        return Selection(builds: builds, rejected: rejected, entriesRead: paths.count)
    }

    /// What a Qubes OS build really is, from its buildinfo's `Architecture` field: any binary
    /// architecture (other than `source` and `all`) makes it a build of the binary architecture
    /// requested (the original assumed amd64: one cannot tell which binary architecture a
    /// file named `_amd64` was built for), `all` alone makes it `all`, and `source` alone
    /// makes it nothing (nil). When `all` is requested and there is a binary architecture, that
    /// architecture is returned, so that the caller's comparison fails as the original's did.
    public static func buildArchitecture(architectures: [String], requested: String) -> String? {
        let binary = architectures.filter { $0 != "source" && $0 != "all" }
        if let first = binary.first { return requested == "all" ? first : requested }
        return architectures.contains("all") ? "all" : nil
    }

    private static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ needle: [UInt8]) -> Bool {
        guard range.count >= needle.count else { return false }
        var start = range.lowerBound
        while start + needle.count <= range.upperBound {
            if ByteText.equal(bytes, start..<(start + needle.count), needle) { return true }
            start += 1
        }
        return false
    }
}
