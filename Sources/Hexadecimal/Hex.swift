/// Hexadecimal as OpenPGP tools and securesystemslib write it: lowercase out, either case in.
public enum Hex {
    public static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `text` lowercased if it is exactly `count` hexadecimal digits, else nil.
    public static func normalized(_ text: String, count: Int) -> String? {
        guard text.utf8.count == count, isHex(text) else { return nil }
        return text.lowercased()
    }

    /// Decodes hex of either case; nil for an odd length or a non-hex character.
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            output.append(high << 4 | low)
            index += 2
        }
        return output
    }

    /// securesystemslib's HEX_SCHEMA: `[a-fA-F0-9]+`.
    public static func isHex(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { value($0) != nil }
    }

    /// The bytes of `text`, which `normalized` accepted.
    public static func bytes(_ text: String) -> [UInt8] { decode(text) ?? [] }

    private static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
