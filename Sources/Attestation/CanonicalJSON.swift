/// A JSON value as in-toto signs it. Object keys are kept byte-exact (no Unicode normalization)
/// and integers are arbitrary text of digits, because securesystemslib's canonical form allows
/// integers of any size and no floats at all.
public indirect enum CanonicalJSON: Sendable, Equatable {
    case object([(key: String, value: CanonicalJSON)])
    case array([CanonicalJSON])
    case string(String)
    /// A decimal integer, optionally negative, written as it is.
    case integer(String)
    case bool(Bool)
    case null

    public static func == (lhs: CanonicalJSON, rhs: CanonicalJSON) -> Bool { lhs.bytes == rhs.bytes }

    public static func int(_ value: Int) -> CanonicalJSON { .integer(String(value)) }

    /// securesystemslib's `encode_canonical`: keys sorted by code point (the order of their UTF-8
    /// bytes), no whitespace, strings with only `\` and `"` escaped and everything else raw UTF-8.
    public var bytes: [UInt8] {
        var output: [UInt8] = []
        write(into: &output)
        return output
    }

    private func write(into output: inout [UInt8]) {
        switch self {
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            let sorted = members.map { (Array($0.key.utf8), $0.value) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                CanonicalJSON.writeString(member.0, into: &output)
                output.append(UInt8(ascii: ":"))
                member.1.write(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .string(let text):
            CanonicalJSON.writeString(Array(text.utf8), into: &output)
        case .integer(let digits):
            output += Array(digits.utf8)
        case .bool(let value):
            output += Array((value ? "true" : "false").utf8)
        case .null:
            output += Array("null".utf8)
        }
    }

    private static func writeString(_ utf8: [UInt8], into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in utf8 {
            if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\"") { output.append(UInt8(ascii: "\\")) }
            output.append(byte)
        }
        output.append(UInt8(ascii: "\""))
    }
}
