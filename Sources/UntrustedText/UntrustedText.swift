/// Untrusted text (a file's content, an upstream listing, a name someone put in an inbox) made
/// safe for messages and logs: one line, bounded, and showing what is really there, so that a
/// 10 MB line never ends up in a message and a message never hides what the input contains.
/// The one escaping the project has; each module picks what it shows and how much.
public enum UntrustedText {
    public enum Shown: Sendable {
        /// Printable ASCII only; everything else as `\u{…}`, and `\` and `'` escaped, so a
        /// bidirectional override or a look-alike letter cannot disguise a name.
        case printableASCII
        /// Every character but control and format ones (bidirectional overrides, zero-width
        /// characters), which are shown as `\u{…}`: for text that may be in any language.
        case visibleUnicode
    }

    /// At most `limit` characters of `text`, then `…`.
    public static func escaped(_ text: some StringProtocol, shown: Shown, limit: Int) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                out += "…"
                break
            }
            count += 1
            out += escaped(scalar, shown)
        }
        return out
    }

    /// The same for bytes that should be UTF-8, reading no more of them than `limit` needs.
    public static func escaped(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, shown: Shown, limit: Int) -> String {
        // At most 4 bytes per shown character are needed.
        let end = min(range.upperBound, range.lowerBound + limit * 4 + 4)
        var text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range.lowerBound..<end]), as: UTF8.self)
        if end < range.upperBound { text += "…" }
        return escaped(text, shown: shown, limit: limit)
    }

    /// A file name, which need not be UTF-8: printable ASCII as it is, `\n` and `\\`, and every
    /// other byte as `\xNN` (the form `records/<ID>/original-name` keeps).
    public static func escapedName(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes {
            switch byte {
            case 0x0A: text += "\\n"
            case 0x5C: text += "\\\\"
            case 0x20..<0x7F: text.append(Character(Unicode.Scalar(byte)))
            default:
                let hex = String(byte, radix: 16)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return text
    }

    private static func escaped(_ scalar: Unicode.Scalar, _ shown: Shown) -> String {
        switch scalar.value {
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x5C where shown == .printableASCII: return "\\\\"
        case 0x27 where shown == .printableASCII: return "\\'"
        case 0x20...0x7E: return String(scalar)
        default:
            switch (shown, scalar.properties.generalCategory) {
            case (.printableASCII, _), (_, .control), (_, .format), (_, .lineSeparator), (_, .paragraphSeparator):
                return "\\u{" + String(scalar.value, radix: 16) + "}"
            default:
                return String(scalar)
            }
        }
    }
}
