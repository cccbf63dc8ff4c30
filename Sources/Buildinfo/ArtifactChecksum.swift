/// One line of a `Checksums-*` field: `<digest> <size> <name>`.
public struct ArtifactChecksum: Sendable, Equatable {
    public var digest: String
    public var size: Int
    public var name: String

    public init(digest: String, size: Int, name: String) {
        self.digest = digest
        self.size = size
        self.name = name
    }
}

/// The checksum fields of a `.buildinfo` (or `.changes`, `.dsc`) file.
enum ChecksumField: String, CaseIterable {
    case sha256 = "Checksums-Sha256"
    case sha1 = "Checksums-Sha1"
    case md5 = "Checksums-Md5"

    var digestLength: Int {
        switch self {
        case .sha256: 64
        case .sha1: 40
        case .md5: 32
        }
    }

    var algorithm: String {
        switch self {
        case .sha256: "sha256"
        case .sha1: "sha1"
        case .md5: "md5"
        }
    }

    /// The entries of `field`, one per line of its value. "line k" in messages is the k-th line
    /// of the value (the empty text after the colon does not count).
    func parse(_ field: Deb822Field, reader: FieldReader) throws(BuildinfoError) -> [(entry: ArtifactChecksum, line: Int)] {
        var entries: [(entry: ArtifactChecksum, line: Int)] = []
        var seen: [String: Int] = [:]
        for (offset, line) in field.lines.enumerated() {
            let k = offset + 1
            func fail(_ message: String) -> BuildinfoError {
                reader.error(field.name, line: line.line, "line \(k): " + message)
            }
            let words = line.text.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count == 3 else {
                throw fail("expected '<\(algorithm)> <size> <name>', got \(Excerpt.quoted(line.text))")
            }
            let digest = words[0]
            guard digest.utf8.count == digestLength, digest.utf8.allSatisfy(Self.isLowerHex) else {
                throw fail("\(algorithm) digest \(Excerpt.quoted(digest)) is not \(digestLength) lowercase hexadecimal digits")
            }
            guard words[1].utf8.allSatisfy(DebianVersion.isDigit), let size = Int(words[1]) else {
                throw fail("size \(Excerpt.quoted(words[1])) is not a non-negative integer")
            }
            let name = String(words[2])
            if let problem = Self.fileNameProblem(name) { throw fail(problem) }
            if let first = seen[name] {
                throw fail("file name \(Excerpt.quoted(name)) already listed on line \(first)")
            }
            seen[name] = k
            entries.append((ArtifactChecksum(digest: String(digest), size: size, name: name), line.line))
        }
        return entries
    }

    private static func isLowerHex(_ c: UInt8) -> Bool {
        DebianVersion.isDigit(c) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f"))
    }

    /// dpkg's rule for file names in checksum fields (`Dpkg::Checksums`):
    /// `[0-9a-zA-Z][-+:.,=0-9a-zA-Z_~]+` — no `/`, no leading `.` or `-`.
    static func fileNameProblem(_ name: String) -> String? {
        func isAlnum(_ c: UInt8) -> Bool { DebianVersion.isDigit(c) || DebianVersion.isAlpha(c) }
        func isAllowed(_ c: UInt8) -> Bool {
            switch c {
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: ","),
                UInt8(ascii: "="), UInt8(ascii: "_"), UInt8(ascii: "~"):
                return true
            default:
                return isAlnum(c)
            }
        }
        let b = name.utf8
        if let first = b.first, b.count >= 2, isAlnum(first), b.allSatisfy(isAllowed) { return nil }
        let quoted = Excerpt.quoted(name)
        if b.contains(UInt8(ascii: "/")) { return "file name \(quoted) contains '/'" }
        if b.first == UInt8(ascii: ".") { return "file name \(quoted) starts with '.'" }
        return "file name \(quoted) is not a safe file name ([0-9a-zA-Z][-+:.,=0-9a-zA-Z_~]+)"
    }
}
