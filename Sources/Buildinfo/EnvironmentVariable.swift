/// An entry of the `Environment` field: `NAME="value"`.
public struct EnvironmentVariable: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    /// Unquoted: without the surrounding quotes, `\"` turned back into `"`.
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// `NAME="value"` as dpkg-genbuildinfo writes it: only `"` is escaped (as `\"`); backslashes are
    /// written as they are, which keeps the quoting reversible.
    public var description: String {
        name + "=\"" + value.replacingQuotes() + "\""
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var out = ""
        for c in unicodeScalars {
            if c == "\"" { out += "\\\"" } else { out.unicodeScalars.append(c) }
        }
        return out
    }
}

extension EnvironmentVariable {
    /// One entry per line of the field; "line k" in messages is the k-th line of the value.
    static func parseList(_ field: Deb822Field, reader: FieldReader) throws(BuildinfoError) -> [EnvironmentVariable] {
        var result: [EnvironmentVariable] = []
        for (offset, line) in field.lines.enumerated() {
            func fail(_ message: String) -> BuildinfoError {
                reader.error(field.name, line: line.line, "line \(offset + 1): " + message)
            }
            let text = line.text.utf8
            guard let equals = text.firstIndex(of: UInt8(ascii: "=")) else {
                throw fail("expected 'NAME=\"value\"', got \(Excerpt.quoted(line.text))")
            }
            let name = line.text[..<equals]
            guard Names.isVariableName(name) else {
                throw fail("invalid variable name \(Excerpt.quoted(name))")
            }
            let quoted = Array(text[text.index(after: equals)...])
            guard quoted.count >= 2, quoted.first == UInt8(ascii: "\""), quoted.last == UInt8(ascii: "\"") else {
                throw fail("value of \(name) is not in double quotes: \(Excerpt.quoted(line.text))")
            }
            var value: [UInt8] = []
            var i = 1
            while i < quoted.count - 1 {
                let c = quoted[i]
                if c == UInt8(ascii: "\\") && i + 1 < quoted.count - 1 && quoted[i + 1] == UInt8(ascii: "\"") {
                    value.append(UInt8(ascii: "\""))
                    i += 2
                    continue
                }
                if c == UInt8(ascii: "\"") {
                    throw fail("unescaped '\"' in the value of \(name)")
                }
                value.append(c)
                i += 1
            }
            result.append(EnvironmentVariable(name: String(name), value: String(decoding: value, as: UTF8.self)))
        }
        return result
    }
}
