import Buildinfo

/// buildinfos.debian.net's `buildinfo-pool_<suite>_<arch>.list`: every buildinfo file the
/// archive has seen for a suite, one absolute path a line
/// (`/buildinfo-pool/b/bash/bash_5.1-3+b1_amd64.buildinfo`), many versions per source.
public enum BuildinfoPool {
    /// The latest build per source whose file name says `architecture` exactly (`amd64`; `all`):
    /// other architectures and combined names (`amd64-source`, `all-amd64`) are skipped, not
    /// rejected. Versions compare in dpkg order.
    ///
    /// A bad line (`..`, `//`, `\`, `%`, control or other odd characters, a file name not shaped
    /// `<source>_<version>_<arch>.buildinfo`, a source that is not a package name, a version dpkg
    /// refuses, a directory other than `<prefix>/<source>/`) is rejected and the others are still
    /// used. Throws when the body is not a listing: empty, HTML, NUL bytes, invalid UTF-8, or more
    /// than half of its lines rejected. Blank lines are ignored; CRLF and a missing final
    /// newline are fine. `source` names the URL or file in errors.
    public static func latest(
        listing: [UInt8], architecture: String, source: String
    ) throws(UpstreamError) -> Selection {
        let result: Result<Selection, UpstreamError> = listing.withUnsafeBufferPointer { bytes in
            PoolPath.classes.withUnsafeBufferPointer { classes in
                Result { () throws(UpstreamError) -> Selection in
                    try read(bytes, classes: classes, architecture: architecture, source: source)
                }
            }
        }
        return try result.get()
    }

    private static func read(
        _ bytes: UnsafeBufferPointer<UInt8>, classes: UnsafeBufferPointer<UInt8>,
        architecture: String, source: String
    ) throws(UpstreamError) -> Selection {
        guard bytes.count < Int(UInt32.max) else {
            throw UpstreamError(source: source, reason: "listing too large (\(bytes.count) bytes)")
        }
        try TextDocument.check(bytes, kind: "a buildinfo listing", source: source)
        let wanted = Array(architecture.utf8)

        var table = LatestTable(expected: 4096)
        var rejected: [RejectedEntry] = []
        var entries = 0
        var line = 0
        var start = 0
        let n = bytes.count
        while start < n {
            let end = ByteText.lineEnd(bytes, from: start)
            line += 1
            defer { start = end + 1 }
            let range = ByteText.trimmed(bytes, start..<end)
            if range.isEmpty { continue }
            entries += 1
            switch PoolPath.check(bytes, range, absolute: true, classes: classes) {
            case .rejected(let reason):
                rejected.append(RejectedEntry(line: line, text: Printable.escaped(bytes, range), reason: reason))
            case .file(let file):
                guard ByteText.equal(bytes, file.architecture, wanted) else { continue }
                if case .invalidVersion(let text) = table.offer(bytes, file, line: line) {
                    rejected.append(RejectedEntry(
                        line: line, text: Printable.escaped(bytes, range),
                        reason: "invalid version '\(Printable.escaped(text))'"))
                }
            }
        }
        try RejectionLimit.check(rejected: rejected, entries: entries, kind: "a buildinfo listing", source: source)
        table.finishOffers()
        return Selection(
            builds: builds(from: table, bytes, architecture: architecture, rejected: &rejected),
            rejected: rejected, entriesRead: entries)
    }

    /// The table's entries as builds, sorted by source (byte order, which is `String` order for
    /// these ASCII names).
    private static func builds(
        from table: LatestTable, _ bytes: UnsafeBufferPointer<UInt8>, architecture: String,
        rejected: inout [RejectedEntry]
    ) -> [UpstreamBuild] {
        let entries = table.entries
        let order = entries.indices.sorted { a, b in
            ByteText.lessThan(bytes, entries[a].source, entries[b].source)
        }
        var builds: [UpstreamBuild] = []
        builds.reserveCapacity(order.count)
        for index in order {
            let entry = entries[index]
            guard let version = table.version(of: index, bytes) else {
                rejected.append(RejectedEntry(
                    line: Int(entry.line), text: Printable.escaped(bytes, entry.path), reason: "invalid version"))
                continue
            }
            builds.append(UpstreamBuild(
                source: ByteText.string(bytes, entry.source), version: version, architecture: architecture,
                fileName: ByteText.string(bytes, entry.fileName), path: ByteText.string(bytes, entry.path)))
        }
        return builds
    }
}
