/// One line of a field's value, with its line number in the file.
public struct Deb822Line: Sendable, Equatable {
    public var text: String
    public var line: Int

    public init(text: String, line: Int) {
        self.text = text
        self.line = line
    }
}

/// A `Name: value` field of a deb822 paragraph.
public struct Deb822Field: Sendable, Equatable {
    /// The name as written (lookups ignore ASCII case).
    public var name: String
    /// The line of `Name:`.
    public var line: Int
    /// The text after the colon on the field's own line, without surrounding spaces and tabs.
    public var firstLine: String
    /// The continuation lines, without their first character (the space or tab that marks them)
    /// and without trailing spaces and tabs. As dpkg does, a line made only of dots loses one dot,
    /// so ` .` is an empty line and ` ..` is `.`.
    public var continuationLines: [Deb822Line]

    public init(name: String, line: Int, firstLine: String, continuationLines: [Deb822Line] = []) {
        self.name = name
        self.line = line
        self.firstLine = firstLine
        self.continuationLines = continuationLines
    }

    /// The lines of the value: the first line unless it is empty, then the continuation lines.
    public var lines: [Deb822Line] {
        (firstLine.isEmpty ? [] : [Deb822Line(text: firstLine, line: line)]) + continuationLines
    }

    /// `lines` joined with LF. For `Binary-Only-Changes:` followed by continuation lines this is
    /// the changelog entry without a leading empty line.
    public var value: String {
        lines.map(\.text).joined(separator: "\n")
    }

    public var isMultiline: Bool { !continuationLines.isEmpty }
}

/// A paragraph (stanza) of fields, in file order, with ASCII case-insensitive lookup.
public struct Deb822Paragraph: Sendable, Equatable {
    public private(set) var fields: [Deb822Field] = []
    private var index: [String: Int] = [:]

    public init() {}

    /// The line of the first field.
    public var line: Int? { fields.first?.line }

    /// The field named `name`, ignoring ASCII case.
    public subscript(_ name: String) -> Deb822Field? {
        index[Self.key(name)].map { fields[$0] }
    }

    /// Appends `field`; returns the field of the same name already present instead, if any.
    @discardableResult
    public mutating func append(_ field: Deb822Field) -> Deb822Field? {
        let key = Self.key(field.name)
        if let existing = index[key] { return fields[existing] }
        index[key] = fields.count
        fields.append(field)
        return nil
    }

    static func key(_ name: String) -> String {
        String(decoding: name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}

/// Reader of deb822 files (Debian Policy §5.1, dpkg's `Dpkg::Control::HashCore`).
///
/// - Paragraphs are separated by lines that are empty or contain only spaces and tabs.
/// - `Name: value`; the name is printable US-ASCII without `:` and must not start with `-` or `#`;
///   a field may appear once per paragraph (names compared ignoring ASCII case).
/// - Continuation lines start with a space or tab.
/// - Comment lines (`#` in column 1) are ignored only if `allowComments` is true; Policy permits them
///   only in `debian/control`, so they are an error by default (dpkg's Perl parser would skip them).
/// - Input must be UTF-8 without NUL bytes or carriage returns (see `TextScan`).
/// - Linear time and no line length limit: a 10 MB line parses or fails like any other.
public enum Deb822 {
    public static func parse(
        _ bytes: [UInt8], path: String, firstLine: Int = 1, allowComments: Bool = false
    ) throws(BuildinfoError) -> [Deb822Paragraph] {
        try TextScan.validate(bytes, path: path, firstLine: firstLine)

        var paragraphs: [Deb822Paragraph] = []
        var paragraph = Deb822Paragraph()
        var current: Deb822Field?
        var lineNumber = firstLine - 1

        func finishField() throws(BuildinfoError) {
            guard let field = current else { return }
            current = nil
            if let first = paragraph.append(field) {
                throw BuildinfoError(
                    path: path, line: field.line, field: field.name,
                    message: "duplicate field (first at line \(first.line))")
            }
        }

        for range in TextScan.Lines(bytes) {
            lineNumber += 1
            let trimmed = TextScan.trimmingTrailingBlanks(bytes, range)
            if trimmed.isEmpty {
                try finishField()
                if !paragraph.fields.isEmpty {
                    paragraphs.append(paragraph)
                    paragraph = Deb822Paragraph()
                }
                continue
            }
            let lead = bytes[trimmed.lowerBound]
            if lead == UInt8(ascii: "#") {
                if allowComments { continue }
                throw BuildinfoError(
                    path: path, line: lineNumber,
                    message: "comment line not allowed here (field names cannot start with '#')")
            }
            if lead == TextScan.space || lead == TextScan.tab {
                guard current != nil else {
                    throw BuildinfoError(
                        path: path, line: lineNumber,
                        message: "continuation line outside a field: "
                            + Excerpt.quoted(TextScan.string(bytes, trimmed)))
                }
                let content = (trimmed.lowerBound + 1)..<trimmed.upperBound
                var text = TextScan.string(bytes, content)
                if text.utf8.allSatisfy({ $0 == UInt8(ascii: ".") }) { text.removeFirst() }
                current!.continuationLines.append(Deb822Line(text: text, line: lineNumber))
                continue
            }
            try finishField()
            current = try fieldLine(bytes, trimmed, line: lineNumber, path: path)
        }
        try finishField()
        if !paragraph.fields.isEmpty { paragraphs.append(paragraph) }
        return paragraphs
    }

    /// Parses `Name: value` (trailing blanks already removed).
    private static func fieldLine(
        _ bytes: [UInt8], _ range: Range<Int>, line: Int, path: String
    ) throws(BuildinfoError) -> Deb822Field {
        var colon: Int?
        var i = range.lowerBound
        while i < range.upperBound {
            if bytes[i] == UInt8(ascii: ":") { colon = i; break }
            i += 1
        }
        guard let colon else {
            throw BuildinfoError(
                path: path, line: line,
                message: "expected 'Field: value', got " + Excerpt.quoted(TextScan.string(bytes, range)))
        }
        if colon == range.lowerBound {
            throw BuildinfoError(path: path, line: line, message: "empty field name")
        }
        let name = TextScan.string(bytes, range.lowerBound..<colon)
        if bytes[range.lowerBound] == UInt8(ascii: "-") {
            throw BuildinfoError(
                path: path, line: line,
                message: "field name \(Excerpt.quoted(name)) cannot start with '-'")
        }
        for byte in bytes[range.lowerBound..<colon] where byte < 0x21 || byte > 0x7E {
            let shown = byte < 0x80 ? Excerpt.quoted(String(UnicodeScalar(byte))) : "(non-ASCII)"
            throw BuildinfoError(
                path: path, line: line,
                message: "invalid character \(shown) in field name \(Excerpt.quoted(name))")
        }
        let value = TextScan.trimmingLeadingBlanks(bytes, (colon + 1)..<range.upperBound)
        return Deb822Field(name: name, line: line, firstLine: TextScan.string(bytes, value))
    }
}
