/// Lowercase hexadecimal, as securesystemslib writes key material and key IDs.
enum Hex {
    static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `text` lowercased if it is exactly `count` hexadecimal digits, else nil.
    static func normalized(_ text: String, count: Int) -> String? {
        let lower = text.lowercased()
        guard lower.utf8.count == count, lower.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        return lower
    }
}
