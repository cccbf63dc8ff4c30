/// Access to the fields of one paragraph, turning problems into `BuildinfoError`s that name the
/// file, the line and the field.
struct FieldReader {
    let paragraph: Deb822Paragraph
    let path: String

    func error(_ field: String, line: Int?, _ message: String) -> BuildinfoError {
        BuildinfoError(path: path, line: line, field: field, message: message)
    }

    /// The field, or an error at the paragraph's first line if it is missing.
    func required(_ name: String) throws(BuildinfoError) -> Deb822Field {
        guard let field = paragraph[name] else {
            throw error(name, line: paragraph.line, "missing required field")
        }
        return field
    }

    /// The value of a field that must fit on its own line and not be empty.
    func singleLine(_ name: String) throws(BuildinfoError) -> (value: String, field: Deb822Field)? {
        guard let field = paragraph[name] else { return nil }
        if let continuation = field.continuationLines.first {
            throw error(field.name, line: continuation.line, "unexpected continuation line (the value must be a single line)")
        }
        if field.firstLine.isEmpty {
            throw error(field.name, line: field.line, "empty value")
        }
        return (field.firstLine, field)
    }

    func requiredSingleLine(_ name: String) throws(BuildinfoError) -> (value: String, field: Deb822Field) {
        _ = try required(name)
        return try singleLine(name)!
    }

    /// The whitespace-separated words of a field's value, each with its line.
    func words(_ field: Deb822Field) -> [Deb822Line] {
        field.lines.flatMap { line in
            line.text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map {
                Deb822Line(text: String($0), line: line.line)
            }
        }
    }
}

/// Name rules of Debian Policy and dpkg.
public enum Names {
    /// Policy §5.6.1/§5.6.7: `[a-z0-9][a-z0-9+.-]+`.
    public static func isPackageName(_ name: String) -> Bool {
        let b = Array(name.utf8)
        guard b.count >= 2, isLowerAlnum(b[0]) else { return false }
        return b.dropFirst().allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// dpkg architecture names (and `all`, `source`, `any`): `[a-z0-9][a-z0-9-]*`.
    static func isArchitecture(_ name: String) -> Bool {
        let b = Array(name.utf8)
        guard let first = b.first, isLowerAlnum(first) else { return false }
        return b.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// Environment variable names: `[A-Za-z_][A-Za-z0-9_]*`.
    static func isVariableName(_ name: Substring) -> Bool {
        let b = Array(name.utf8)
        guard let first = b.first, DebianVersion.isAlpha(first) || first == UInt8(ascii: "_") else { return false }
        return b.allSatisfy { DebianVersion.isAlpha($0) || DebianVersion.isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isLowerAlnum(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || DebianVersion.isDigit(c)
    }
}
