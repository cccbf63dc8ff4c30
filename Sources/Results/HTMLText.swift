/// Escaping for text that goes into the page: package names, versions and paths come from
/// uploaded buildinfo files and must never become markup.
enum HTMLText {
    /// Escapes `& < > " '`, enough for element content and double- or single-quoted attributes.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A relative URL for a path, percent-encoded byte by byte except for unreserved
    /// characters, "/" and "+" (frequent in Debian versions, and literal in a path) — so ":"
    /// cannot start a scheme (`javascript:`), "%" and "#" stay literal parts of the name —
    /// then HTML-escaped for use in an attribute.
    static func href(_ path: String) -> String {
        var encoded = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: "+"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return escape(encoded)
    }
}
