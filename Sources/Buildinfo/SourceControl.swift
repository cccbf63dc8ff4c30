/// What a rebuild needs of a source package's `.dsc`: its name, version and the files it lists
/// with their SHA-256 digests (plain names, as the buildinfo's own checksum lines), against which each downloaded source file is checked.
public struct SourceControl: Sendable, Equatable {
    public var source: String
    public var version: DebianVersion
    public var files: [ArtifactChecksum]

    /// Reads a `.dsc`, clearsigned or not (the signature is not checked here). `path` names the
    /// file in error messages.
    public static func parse(_ bytes: [UInt8], path: String) throws(BuildinfoError) -> SourceControl {
        let message = try ClearsignedMessage.split(bytes, path: path)
        let paragraphs = try Deb822.parse(message.text, path: path, firstLine: message.firstLine)
        guard let paragraph = paragraphs.first else {
            throw BuildinfoError(path: path, line: nil, message: "no fields: the file has no deb822 paragraph")
        }
        let reader = FieldReader(paragraph: paragraph, path: path)
        guard let (source, sourceField) = try reader.singleLine("Source") else { throw reader.error("Source", line: paragraph.line, "missing required field") }
        guard Names.isPackageName(source) else { throw reader.error("Source", line: sourceField.line, "invalid source package name") }
        guard let (versionText, versionField) = try reader.singleLine("Version") else {
            throw reader.error("Version", line: paragraph.line, "missing required field")
        }
        let version: DebianVersion
        do {
            version = try DebianVersion(validating: versionText)
        } catch {
            throw reader.error("Version", line: versionField.line, "\(error)")
        }
        let field = try reader.required(ChecksumField.sha256.rawValue)
        let files = try ChecksumField.sha256.parse(field, reader: reader).map(\.entry)
        return SourceControl(source: source, version: version, files: files)
    }
}
