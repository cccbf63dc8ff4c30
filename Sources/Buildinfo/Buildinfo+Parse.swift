extension Buildinfo {
    /// The major `Format` versions this reader understands.
    public static let supportedFormatMajorVersions: Set<Int> = [1]

    /// Reads a `.buildinfo` file, clearsigned or not. `path` is only used in error messages.
    ///
    /// Checks: one deb822 paragraph; required `Format` (major version 1), `Source`, `Binary`
    /// (except for source-only builds), `Architecture`, `Version`, `Checksums-Sha256` (at least one
    /// entry); versions valid as dpkg's Perl tools require; checksum lines (lowercase hex of the
    /// algorithm's length, size a non-negative integer, a file name dpkg accepts, so no `/` and no
    /// leading `.`), and `Checksums-Md5`/`Checksums-Sha1`, when present, listing the same files
    /// with the same sizes as `Checksums-Sha256`. Unknown fields are ignored.
    public static func parse(_ bytes: [UInt8], path: String) throws(BuildinfoError) -> Buildinfo {
        let message = try ClearsignedMessage.split(bytes, path: path)
        let paragraphs = try Deb822.parse(message.text, path: path, firstLine: message.firstLine)
        guard let paragraph = paragraphs.first else {
            throw BuildinfoError(path: path, line: nil, message: "no fields: the file has no deb822 paragraph")
        }
        if paragraphs.count > 1 {
            throw BuildinfoError(
                path: path, line: paragraphs[1].line,
                message: "unexpected second paragraph (a .buildinfo file has exactly one)")
        }
        let reader = FieldReader(paragraph: paragraph, path: path)

        let format = try parseFormat(reader)
        let (source, sourceVersionFromSource) = try parseSource(reader)
        let architectures = try parseArchitectures(reader)
        let binaries = try parseBinaries(reader, sourceOnly: architectures == ["source"])
        let version = try parseVersion(reader.requiredSingleLine("Version"), reader: reader)

        let sha256Field = try reader.required(ChecksumField.sha256.rawValue)
        let sha256 = try ChecksumField.sha256.parse(sha256Field, reader: reader)
        if sha256.isEmpty {
            throw reader.error(sha256Field.name, line: sha256Field.line, "no entries (at least one is required)")
        }
        var others: [ChecksumField: [ArtifactChecksum]] = [:]
        for kind in [ChecksumField.md5, .sha1] {  // in the order dpkg writes them
            guard let field = paragraph[kind.rawValue] else { continue }
            let entries = try kind.parse(field, reader: reader)
            try crossCheck(entries, field: field, against: sha256, reader: reader)
            others[kind] = entries.map(\.entry)
        }

        return Buildinfo(
            format: format,
            source: source,
            sourceVersion: sourceVersionFromSource ?? version,
            version: version,
            binaries: binaries,
            architectures: architectures,
            checksumsSha256: sha256.map(\.entry),
            checksumsSha1: others[.sha1] ?? [],
            checksumsMd5: others[.md5] ?? [],
            buildOrigin: try reader.singleLine("Build-Origin")?.value,
            buildArchitecture: try parseBuildArchitecture(reader),
            buildPath: try reader.singleLine("Build-Path")?.value,
            buildDate: try reader.singleLine("Build-Date")?.value,
            installedBuildDepends: try paragraph["Installed-Build-Depends"].map { field throws(BuildinfoError) in
                try PackageVersion.parseList(field, reader: reader)
            } ?? [],
            environment: try paragraph["Environment"].map { field throws(BuildinfoError) in
                try EnvironmentVariable.parseList(field, reader: reader)
            } ?? [],
            binaryOnlyChanges: paragraph["Binary-Only-Changes"]?.value,
            signature: message.signature)
    }

    private static func parseFormat(_ reader: FieldReader) throws(BuildinfoError) -> String {
        let (format, field) = try reader.requiredSingleLine("Format")
        let parts = format.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(DebianVersion.isDigit) }) else {
            throw reader.error(field.name, line: field.line, "invalid format \(Excerpt.quoted(format)) (expected '<major>.<minor>')")
        }
        guard let major = Int(parts[0]), supportedFormatMajorVersions.contains(major) else {
            throw reader.error(
                field.name, line: field.line,
                "unsupported format \(Excerpt.quoted(format)): major version \(Excerpt.quoteless(parts[0])) is not 1")
        }
        return format
    }

    /// `name` or `name (version)`.
    private static func parseSource(_ reader: FieldReader) throws(BuildinfoError) -> (String, DebianVersion?) {
        let (text, field) = try reader.requiredSingleLine("Source")
        let expected = "expected '<source>' or '<source> (<version>)', got \(Excerpt.quoted(text))"
        let nameEnd = text.firstIndex(where: { $0 == " " || $0 == "\t" || $0 == "(" }) ?? text.endIndex
        let name = String(text[..<nameEnd])
        guard Names.isPackageName(name) else {
            throw reader.error(field.name, line: field.line, "invalid source package name \(Excerpt.quoted(name))")
        }
        var rest = text[nameEnd...]
        while let c = rest.first, c == " " || c == "\t" { rest.removeFirst() }
        if rest.isEmpty { return (name, nil) }
        guard rest.first == "(", rest.last == ")" else { throw reader.error(field.name, line: field.line, expected) }
        let inner = rest.dropFirst().dropLast()
        guard !inner.isEmpty, !inner.contains("("), !inner.contains(")") else {
            throw reader.error(field.name, line: field.line, expected)
        }
        return (name, try parseVersion((String(inner), field), reader: reader))
    }

    private static func parseVersion(
        _ value: (value: String, field: Deb822Field), reader: FieldReader
    ) throws(BuildinfoError) -> DebianVersion {
        do throws(DebianVersionError) {
            return try DebianVersion(validating: value.value)
        } catch {
            throw reader.error(value.field.name, line: value.field.line, error.description)
        }
    }

    private static func parseArchitectures(_ reader: FieldReader) throws(BuildinfoError) -> [String] {
        let (_, field) = try reader.requiredSingleLine("Architecture")
        let words = reader.words(field)
        for word in words where !Names.isArchitecture(word.text) {
            throw reader.error(field.name, line: word.line, "invalid architecture name \(Excerpt.quoted(word.text))")
        }
        return words.map(\.text)
    }

    private static func parseBinaries(_ reader: FieldReader, sourceOnly: Bool) throws(BuildinfoError) -> [String] {
        if sourceOnly && reader.paragraph["Binary"] == nil { return [] }
        let field = try reader.required("Binary")
        let words = reader.words(field)
        if words.isEmpty { throw reader.error(field.name, line: field.line, "empty value") }
        for word in words where !Names.isPackageName(word.text) {
            throw reader.error(field.name, line: word.line, "invalid binary package name \(Excerpt.quoted(word.text))")
        }
        return words.map(\.text)
    }

    private static func parseBuildArchitecture(_ reader: FieldReader) throws(BuildinfoError) -> String? {
        guard let (value, field) = try reader.singleLine("Build-Architecture") else { return nil }
        guard Names.isArchitecture(value) else {
            throw reader.error(field.name, line: field.line, "invalid architecture name \(Excerpt.quoted(value))")
        }
        return value
    }

    /// `entries` (of Checksums-Sha1 or -Md5) must name the same files with the same sizes as Checksums-Sha256.
    private static func crossCheck(
        _ entries: [(entry: ArtifactChecksum, line: Int)], field: Deb822Field,
        against sha256: [(entry: ArtifactChecksum, line: Int)], reader: FieldReader
    ) throws(BuildinfoError) {
        var sizes: [String: Int] = [:]
        for item in sha256 { sizes[item.entry.name] = item.entry.size }
        var listed: Set<String> = []
        for (offset, item) in entries.enumerated() {
            let prefix = "line \(offset + 1): "
            guard let size = sizes[item.entry.name] else {
                throw reader.error(
                    field.name, line: item.line,
                    prefix + "\(Excerpt.quoted(item.entry.name)) is not listed in Checksums-Sha256")
            }
            if size != item.entry.size {
                throw reader.error(
                    field.name, line: item.line,
                    prefix + "size \(item.entry.size) of \(Excerpt.quoted(item.entry.name)) differs from its size \(size) in Checksums-Sha256")
            }
            listed.insert(item.entry.name)
        }
        for item in sha256 where !listed.contains(item.entry.name) {
            throw reader.error(
                field.name, line: field.line,
                "\(Excerpt.quoted(item.entry.name)) is listed in Checksums-Sha256 but not in \(field.name)")
        }
    }
}
