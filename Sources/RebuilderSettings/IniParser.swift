/// Reads the INI dialect of Python's `configparser` as the original PackageRebuilder
/// used it (RawConfigParser, strict mode, no interpolation), so that its
/// rebuilder.conf files mean the same thing here:
///
/// - `[section]` headers; `key = value` or `key: value` (split at the first `=` or `:`);
/// - whole-line comments starting with `#` or `;` (possibly indented). There are no
///   inline comments: `key = a # b` has the value `a # b`, as in configparser;
/// - a line indented deeper than its key continues that key's value; the parts are
///   joined with "\n" (blank lines inside a value are kept, trailing ones dropped);
/// - keys are case-sensitive (unlike configparser's default, which lowercases them);
/// - a key outside any section, a duplicate section, a duplicate key within a section
///   and any other line are errors (configparser's strict mode rejects them too).
enum IniParser {
    static func parse(_ text: String, path: String) throws -> IniDocument {
        var sections: [IniSection] = []
        var headerLines: [String: Int] = [:]
        var keyLines: [String: Int] = [:]  // keys of the current section only
        // The value being read: its lines so far, and the indentation of its key line.
        // A line indented deeper than `openIndent` continues it.
        var openValueLines: [String] = []
        var openValueLineNumbers: [Int] = []
        var openIndent: Int? = nil

        func closeOpenValue() {
            guard openIndent != nil else { return }
            while openValueLines.last?.isEmpty == true {
                openValueLines.removeLast()
                openValueLineNumbers.removeLast()
            }
            let section = sections.count - 1
            let entry = sections[section].entries.count - 1
            sections[section].entries[entry].value = openValueLines.joined(separator: "\n")
            sections[section].entries[entry].valueLines = openValueLineNumbers
            openValueLines = []
            openValueLineNumbers = []
            openIndent = nil
        }

        for (index, rawLine) in lines(of: text).enumerated() {
            let lineNumber = index + 1
            let content = rawLine.trimmingWhitespace()

            if content.isEmpty {
                if openIndent != nil {
                    openValueLines.append("")
                    openValueLineNumbers.append(lineNumber)
                }
                continue
            }
            if content.hasPrefix("#") || content.hasPrefix(";") {
                continue  // comments neither end nor extend a value, as in configparser
            }
            let indent = rawLine.prefix(while: { $0 == " " || $0 == "\t" }).count
            if let openIndent, indent > openIndent {
                openValueLines.append(String(content))
                openValueLineNumbers.append(lineNumber)
                continue
            }
            closeOpenValue()

            if content.hasPrefix("[") {
                let name = try sectionName(in: content, path: path, line: lineNumber)
                if let first = headerLines[name] {
                    throw ConfigurationError(
                        path: path, line: lineNumber,
                        message: "duplicate section [\(name)] (first defined at line \(first))")
                }
                headerLines[name] = lineNumber
                keyLines = [:]
                sections.append(IniSection(name: name, line: lineNumber, entries: []))
                continue
            }

            guard let delimiter = content.firstIndex(where: { $0 == "=" || $0 == ":" }),
                  case let key = String(content[..<delimiter].trimmingWhitespace()),
                  !key.isEmpty
            else {
                throw ConfigurationError(
                    path: path, line: lineNumber,
                    message: "malformed line '\(abbreviated(content))': expected '[section]', 'key = value' or a comment")
            }
            guard let section = sections.last else {
                throw ConfigurationError(
                    path: path, line: lineNumber,
                    message: "key '\(key)' appears before any [section] header")
            }
            if let first = keyLines[key] {
                throw ConfigurationError(
                    path: path, line: lineNumber,
                    message: "duplicate key '\(key)' in [\(section.name)] (first set at line \(first))")
            }
            keyLines[key] = lineNumber
            sections[sections.count - 1].entries.append(IniEntry(key: key, value: "", line: lineNumber))
            openValueLines = [String(content[content.index(after: delimiter)...].trimmingWhitespace())]
            openValueLineNumbers = [lineNumber]
            openIndent = indent
        }
        closeOpenValue()
        return IniDocument(sections: sections)
    }

    private static func sectionName(in content: Substring, path: String, line: Int) throws -> String {
        let inner = content.dropFirst().dropLast()
        guard content.hasSuffix("]"), content.count >= 2,
              !inner.contains("["), !inner.contains("]"),
              case let name = String(inner.trimmingWhitespace()), !name.isEmpty
        else {
            throw ConfigurationError(
                path: path, line: line,
                message: "malformed section header '\(abbreviated(content))': expected '[name]'")
        }
        return name
    }

    /// Splits on "\n" at the byte level: Swift treats "\r\n" as one Character, so
    /// splitting the String by Character would miss CRLF line ends.
    private static func lines(of text: String) -> [String] {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }  // a byte order mark is not content
        return text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { bytes in
            let withoutCR = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes
            return String(decoding: withoutCR, as: UTF8.self)
        }
    }

    /// Long lines are cut in messages so that the message stays readable.
    private static func abbreviated(_ content: Substring) -> String {
        content.count <= 60 ? String(content) : String(content.prefix(57)) + "..."
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> SubSequence {
        let start = firstIndex(where: { !$0.isWhitespace }) ?? endIndex
        let end = lastIndex(where: { !$0.isWhitespace }).map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
