/// Untrusted text made safe for logs and messages: short, one line, and showing what is really
/// there (control, format and non-ASCII characters as `\u{…}`, so that a bidirectional override
/// or a look-alike letter cannot disguise an entry).
enum Printable {
    static let limit = 200

    static func escaped(_ text: String) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                out += "…"
                break
            }
            count += 1
            switch scalar.value {
            case 0x5C: out += "\\\\"
            case 0x27: out += "\\'"
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x20...0x7E: out.unicodeScalars.append(scalar)
            default: out += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return out
    }

    static func escaped(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        // At most 4 bytes per shown character are needed.
        let end = min(range.upperBound, range.lowerBound + limit * 4 + 4)
        var text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range.lowerBound..<end]), as: UTF8.self)
        if end < range.upperBound { text += "…" }
        return escaped(text)
    }
}
