extension CanonicalJSON {
    /// What in-toto writes to files: Python's `json.dumps(value, indent=1, separators=(",", ": "),
    /// sort_keys=True)` with its default `ensure_ascii`, no trailing newline. Keys sort by code point
    /// like the canonical form; only the layout of the text differs.
    public var indentedBytes: [UInt8] {
        var output: [UInt8] = []
        writeIndented(level: 0, into: &output)
        return output
    }

    private func writeIndented(level: Int, into output: inout [UInt8]) {
        switch self {
        case .object(let members) where !members.isEmpty:
            let sorted = members.map { (Array($0.key.utf8), $0.key, $0.value) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }
            output.append(UInt8(ascii: "{"))
            for (index, member) in sorted.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                CanonicalJSON.newline(level: level + 1, into: &output)
                CanonicalJSON.writeASCIIString(member.1, into: &output)
                output += [UInt8(ascii: ":"), UInt8(ascii: " ")]
                member.2.writeIndented(level: level + 1, into: &output)
            }
            CanonicalJSON.newline(level: level, into: &output)
            output.append(UInt8(ascii: "}"))
        case .array(let elements) where !elements.isEmpty:
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                CanonicalJSON.newline(level: level + 1, into: &output)
                element.writeIndented(level: level + 1, into: &output)
            }
            CanonicalJSON.newline(level: level, into: &output)
            output.append(UInt8(ascii: "]"))
        case .string(let text):
            CanonicalJSON.writeASCIIString(text, into: &output)
        default:
            // Empty containers, integers, booleans and null read the same in both forms.
            output += bytes
        }
    }

    private static func newline(level: Int, into output: inout [UInt8]) {
        output.append(0x0A)
        output += repeatElement(UInt8(ascii: " "), count: level)
    }

    /// Python's `ensure_ascii` escaping: printable ASCII stays, `"` and `\` and the usual control
    /// characters get short escapes, everything else becomes `\uXXXX` (lowercase, UTF-16 units).
    private static func writeASCIIString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for unit in text.utf16 {
            switch unit {
            case 0x22: output += Array(#"\""#.utf8)
            case 0x5C: output += Array(#"\\"#.utf8)
            case 0x0A: output += Array(#"\n"#.utf8)
            case 0x0D: output += Array(#"\r"#.utf8)
            case 0x09: output += Array(#"\t"#.utf8)
            case 0x08: output += Array(#"\b"#.utf8)
            case 0x0C: output += Array(#"\f"#.utf8)
            case 0x20...0x7E: output.append(UInt8(unit))
            default:
                let digits = Array(String(unit, radix: 16).utf8)
                output += Array(#"\u"#.utf8) + repeatElement(UInt8(ascii: "0"), count: 4 - digits.count) + digits
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
