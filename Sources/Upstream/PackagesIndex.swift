import Buildinfo

/// The binaries of a `Packages` index, grouped into their source builds.
enum PackagesIndex {
    private static let fields = ["Package", "Version", "Architecture", "Source"]

    static func read(
        _ bytes: UnsafeBufferPointer<UInt8>, sources: Set<SourceKey>, architecture: String, source: String
    ) throws(UpstreamError) -> Selection {
        try TextDocument.check(bytes, kind: "a Packages index", source: source, allowEmpty: true)
        let wanted = Array(architecture.utf8)
        var latest: [String: DebianVersion] = [:]
        var rejected: [RejectedEntry] = []
        var stanzas = 0
        var relevant = 0
        StanzaScanner(fields: fields).scan(bytes) { stanza in
            stanzas += 1
            func reject(_ reason: String) {
                rejected.append(RejectedEntry(
                    line: stanza.line, text: Printable.escaped(bytes, stanza.firstLine), reason: "Packages: " + reason))
            }
            if let problem = stanza.problem {
                relevant += 1
                return reject(problem)
            }
            guard let package = stanza.values[0], let version = stanza.values[1], let arch = stanza.values[2] else {
                relevant += 1
                let missing = zip(fields, stanza.values).first { $0.1 == nil && $0.0 != "Source" }!.0
                return reject("no \(missing) field")
            }
            guard ByteText.equal(bytes, arch, wanted) else { return }
            relevant += 1
            let name = ByteText.string(bytes, package)
            switch build(bytes, package: name, version: version, sourceField: stanza.values[3], sources: sources) {
            case .failure(let reason):
                reject(reason.text)
            case .success(let key):
                if let best = latest[key.name], best >= key.version { return }
                latest[key.name] = key.version
            }
        }
        try RejectionLimit.check(rejected: rejected, entries: relevant, kind: "a Packages index", source: source)
        let builds = latest.keys.sorted().map { name in
            let version = latest[name]!
            let fileName = "\(name)_\(version.withoutEpoch)_\(architecture).buildinfo"
            return UpstreamBuild(
                source: name, version: version, architecture: architecture, fileName: fileName,
                path: "/buildinfo-pool/\(PoolPath.prefix(of: name))/\(name)/\(fileName)")
        }
        return Selection(builds: builds, rejected: rejected, entriesRead: stanzas)
    }

    struct Reason: Error { var text: String }

    /// The source build (name, build version) binary `package` belongs to, or why there is none.
    private static func build(
        _ bytes: UnsafeBufferPointer<UInt8>, package: String, version: Range<Int>, sourceField: Range<Int>?,
        sources: Set<SourceKey>
    ) -> Result<SourceKey, Reason> {
        guard ByteText.isPackageName(package) else {
            return .failure(Reason(text: "'\(Printable.escaped(package))' is not a Debian package name"))
        }
        let versionText = ByteText.string(bytes, version)
        guard let binaryVersion = try? DebianVersion(versionText) else {
            return .failure(Reason(text: "\(package): invalid version '\(Printable.escaped(versionText))'"))
        }
        var sourceName = package
        var sourceVersionText = versionText
        var sourceVersion = binaryVersion
        if let field = sourceField {
            switch SourceField.parse(bytes, field) {
            case .failure(let reason):
                return .failure(Reason(text: "\(package): \(reason.text)"))
            case .success(let parsed):
                sourceName = parsed.name
                if let text = parsed.version {
                    guard let explicit = try? DebianVersion(text) else {
                        return .failure(Reason(
                            text: "\(package): invalid version '\(Printable.escaped(text))' in Source field"))
                    }
                    sourceVersionText = text
                    sourceVersion = explicit
                }
            }
        }
        guard sources.contains(SourceKey(name: sourceName, version: sourceVersion)) else {
            return .failure(Reason(
                text: "\(package): no source package \(sourceName) \(sourceVersion) in Sources"))
        }
        // A binNMU: "5.1-3+b1" built from source "5.1-3".
        var buildVersion = sourceVersion
        if let suffix = binNMUSuffix(versionText), binaryVersion.binNMU != nil,
            let rebuilt = try? DebianVersion(String(versionText.dropLast(suffix.count))), rebuilt == sourceVersion,
            let withSuffix = try? DebianVersion(sourceVersionText + suffix)
        {
            buildVersion = withSuffix
        }
        return .success(SourceKey(name: sourceName, version: buildVersion))
    }

    /// `+bN` at the end of `version`, if there is one.
    static func binNMUSuffix(_ version: String) -> String? {
        let bytes = Array(version.utf8)
        var i = bytes.count
        while i > 0 && bytes[i - 1] >= UInt8(ascii: "0") && bytes[i - 1] <= UInt8(ascii: "9") { i -= 1 }
        guard i < bytes.count, i >= 2, bytes[i - 2] == UInt8(ascii: "+"), bytes[i - 1] == UInt8(ascii: "b")
        else { return nil }
        return String(decoding: bytes[(i - 2)...], as: UTF8.self)
    }
}

/// A binary's `Source:` field: `name` or `name (version)`.
enum SourceField {
    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, _ field: Range<Int>
    ) -> Result<(name: String, version: String?), PackagesIndex.Reason> {
        var space = field.lowerBound
        while space < field.upperBound && bytes[space] != ByteText.space && bytes[space] != ByteText.tab {
            space += 1
        }
        let name = field.lowerBound..<space
        guard ByteText.isPackageName(bytes, name) else {
            return .failure(.init(text: "malformed Source field '\(Printable.escaped(bytes, field))'"))
        }
        let rest = ByteText.trimmed(bytes, space..<field.upperBound)
        if rest.isEmpty { return .success((ByteText.string(bytes, name), nil)) }
        guard rest.count > 2, bytes[rest.lowerBound] == UInt8(ascii: "("), bytes[rest.upperBound - 1] == UInt8(ascii: ")")
        else { return .failure(.init(text: "malformed Source field '\(Printable.escaped(bytes, field))'")) }
        let version = ByteText.trimmed(bytes, (rest.lowerBound + 1)..<(rest.upperBound - 1))
        return .success((ByteText.string(bytes, name), ByteText.string(bytes, version)))
    }
}

/// Architecture names as Debian spells them (`amd64`, `all`, `kfreebsd-amd64`): they end up in
/// file names and task ids.
enum Architecture {
    static func check(_ architecture: String, source: String) throws(UpstreamError) {
        let bytes = Array(architecture.utf8)
        guard let first = bytes.first, ByteText.isLowerAlnum(first),
            bytes.allSatisfy({ ByteText.isLowerAlnum($0) || $0 == UInt8(ascii: "-") })
        else {
            throw UpstreamError(source: source, reason: "invalid architecture '\(Printable.escaped(architecture))'")
        }
    }
}
