/// A reproducible-builds package set (`<set>.pkgset` from jenkins.debian.net): the source
/// names one rebuild distribution is limited to, one a line.
public enum PackageSet {
    /// The set name meaning "no filter": every source of the suite.
    public static let full = "full"

    /// The names in `bytes`: blanks around a name ignored, empty lines and `#` comments skipped.
    /// Throws, naming the line, for anything that is not a Debian package name, and for HTML,
    /// NUL bytes or invalid UTF-8. An empty set is an empty set. `source` names the URL or file.
    public static func names(in bytes: [UInt8], source: String) throws(UpstreamError) -> Set<String> {
        let result: Result<Set<String>, UpstreamError> = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(UpstreamError) -> Set<String> in try read(buffer, source: source) }
        }
        return try result.get()
    }

    private static func read(_ bytes: UnsafeBufferPointer<UInt8>, source: String) throws(UpstreamError) -> Set<String> {
        try TextDocument.check(bytes, kind: "a package set", source: source, allowEmpty: true)
        var names = Set<String>()
        var line = 0
        var start = 0
        // A byte order mark would otherwise make the first name invalid.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        while start < bytes.count {
            let end = ByteText.lineEnd(bytes, from: start)
            line += 1
            defer { start = end + 1 }
            let range = ByteText.trimmed(bytes, start..<end)
            if range.isEmpty || bytes[range.lowerBound] == UInt8(ascii: "#") { continue }
            guard ByteText.isPackageName(bytes, range) else {
                throw UpstreamError(
                    source: source, line: line,
                    reason: "'\(Printable.escaped(bytes, range))' is not a Debian package name")
            }
            names.insert(ByteText.string(bytes, range))
        }
        return names
    }
}
