import TestSupport
@testable import Attestation

/// Random JSON values and texts for comparing with securesystemslib and Python's json: strings mix
/// the characters that differ between encoders (astral, combining, NFC/NFD, quotes, backslashes,
/// controls, DEL, '/'), and the text spells each one in a randomly chosen valid way.
struct GeneratedJSON {
    var random: SeededGenerator

    static let pieces: [String] = [
        "a", "Z", "0", " ", "/", "\"", "\\", "\n", "\t", "\r", "\u{8}", "\u{c}", "\u{1}", "\u{1f}", "\u{7f}", "\u{80}",
        "\u{e9}", "e\u{301}", "\u{301}", "\u{fb01}", "\u{ffff}", "\u{fffd}", "\u{10000}", "\u{1F600}", "\u{10FFFF}", "\u{4e2d}",
        "\u{2028}", ".deb", "_", "%3a",
    ]

    mutating func string() -> String {
        (0..<Int.random(in: 0...6, using: &random)).map { _ in Self.pieces.randomElement(using: &random)! }.joined()
    }

    mutating func integer() -> CanonicalJSON {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: .int(0)
        case 1: .int(Int.random(in: -1000...1000, using: &random))
        case 2: .integer((Bool.random(using: &random) ? "-" : "") + "1" + (0..<30).map { _ in String(Int.random(in: 0...9, using: &random)) }.joined())
        default: .int(Int.random(in: Int.min...Int.max, using: &random))
        }
    }

    mutating func value(depth: Int = 0) -> CanonicalJSON {
        switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &random) {
        case 0: return .string(string())
        case 1: return integer()
        case 2: return .bool(Bool.random(using: &random))
        case 3: return .null
        case 4: return .string(string())
        case 5: return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in value(depth: depth + 1) })
        default:
            var members: [(key: String, value: CanonicalJSON)] = []
            var seen: Set<[UInt8]> = []
            for _ in 0..<Int.random(in: 0...5, using: &random) {
                let key = string()
                if seen.insert(Array(key.utf8)).inserted { members.append((key, value(depth: depth + 1))) }
            }
            return .object(members)
        }
    }

    /// JSON text for `value` with random whitespace and random (valid) spellings of each character.
    mutating func text(_ value: CanonicalJSON) -> String {
        let space = [" ", "", "\n", "\t", "\r\n  "].randomElement(using: &random)!
        switch value {
        case .object(let members):
            return "{" + space + members.map { text(.string($0.key)) + space + ":" + space + text($0.value) }.joined(separator: "," + space) + "}"
        case .array(let elements):
            return "[" + space + elements.map { text($0) }.joined(separator: space + "," + space) + space + "]"
        case .string(let string):
            return "\"" + string.unicodeScalars.map { spell($0) }.joined() + "\""
        default:
            return String(decoding: value.bytes, as: UTF8.self)
        }
    }

    private mutating func spell(_ scalar: Unicode.Scalar) -> String {
        let short: [Unicode.Scalar: String] = ["\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\u{8}": "\\b", "\u{c}": "\\f", "/": "\\/"]
        let mustEscape = scalar == "\"" || scalar == "\\" || scalar.value < 0x20
        if !mustEscape && Bool.random(using: &random) { return String(scalar) }
        if let escape = short[scalar], Bool.random(using: &random) { return escape }
        let units = Array(String(scalar).utf16)
        return units.map { unit in
            let hex = String(unit, radix: 16, uppercase: Bool.random(using: &random))
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }.joined()
    }
}
