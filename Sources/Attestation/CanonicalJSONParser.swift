extension CanonicalJSON {
    /// Nesting deeper than this is refused: in-toto documents nest a handful of levels, and Python's
    /// own parser gives up near 1000 (its recursion limit).
    public static let defaultMaxDepth = 512

    /// Parses UTF-8 JSON strictly, keeping what securesystemslib would sign: member order and keys
    /// byte-exact, integers as written. Refuses what `encode_canonical` cannot encode (floats,
    /// exponents, NaN/Infinity) and what would make the signed value ambiguous (duplicate keys,
    /// lone surrogates, invalid UTF-8).
    public init(parsing bytes: some Collection<UInt8>, maxDepth: Int = CanonicalJSON.defaultMaxDepth) throws(JSONParseError) {
        var parser = CanonicalJSONParser(bytes: Array(bytes), maxDepth: maxDepth)
        self = try parser.parseDocument()
    }
}

/// A recursive-descent parser over the raw bytes, so that errors can name a byte offset and no
/// Foundation type gets to reinterpret numbers or strings.
struct CanonicalJSONParser {
    private let bytes: [UInt8]
    private let maxDepth: Int
    private var position = 0
    private var depth = 0

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> CanonicalJSON {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw fail("unexpected data after the JSON value") }
        return value
    }

    private func fail(_ reason: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(offset: offset ?? position, reason: reason)
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// JSON whitespace only (Python's json takes exactly these four too).
    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONParseError) {
        guard current == byte else { throw fail(current == nil ? "unexpected end of input, expected \(what)" : "expected \(what)") }
        position += 1
    }

    private mutating func parseValue() throws(JSONParseError) -> CanonicalJSON {
        guard let byte = current else { throw fail("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        case UInt8(ascii: "N"), UInt8(ascii: "I"):
            throw fail("NaN and Infinity cannot be signed (securesystemslib refuses non-integer numbers)")
        default: throw fail("unexpected character \(describe(byte)), expected a value")
        }
    }

    private mutating func parseLiteral(_ word: String) throws(JSONParseError) {
        let start = position
        for expected in word.utf8 {
            guard current == expected else { throw fail("invalid literal, expected '\(word)'", at: start) }
            position += 1
        }
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
    }

    private mutating func parseObject() throws(JSONParseError) -> CanonicalJSON {
        try enter()
        defer { depth -= 1 }
        position += 1 // {
        var members: [(key: String, value: CanonicalJSON)] = []
        // Keys compare as UTF-8 bytes: NFC and NFD spellings are distinct keys to securesystemslib.
        var seen: Set<[UInt8]> = []
        skipWhitespace()
        if current == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            let keyOffset = position
            guard current == UInt8(ascii: "\"") else {
                throw fail(current == nil ? "unexpected end of input, expected a member name" : "expected a member name in double quotes")
            }
            let key = try parseString()
            guard seen.insert(Array(key.utf8)).inserted else { throw fail("duplicate key \"\(key)\"", at: keyOffset) }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after a member name")
            skipWhitespace()
            members.append((key, try parseValue()))
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "}"), "',' or '}' in an object")
            return .object(members)
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> CanonicalJSON {
        try enter()
        defer { depth -= 1 }
        position += 1 // [
        var elements: [CanonicalJSON] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { position += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "]"), "',' or ']' in an array")
            return .array(elements)
        }
    }

    private mutating func parseNumber() throws(JSONParseError) -> CanonicalJSON {
        let start = position
        let negative = current == UInt8(ascii: "-")
        if negative { position += 1 }
        let digitsStart = position
        while let byte = current, isDigit(byte) { position += 1 }
        guard position > digitsStart else { throw fail("expected digits after '-'", at: start) }
        if bytes[digitsStart] == UInt8(ascii: "0") && position - digitsStart > 1 {
            throw fail("leading zeros are not allowed in numbers", at: start)
        }
        if let byte = current, byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            throw fail("floats and exponents cannot be signed (securesystemslib's canonical form has integers only)", at: start)
        }
        let digits = String(decoding: bytes[digitsStart..<position], as: UTF8.self)
        // Python reads -0 as the integer 0 and signs "0".
        return .integer(negative && digits != "0" ? "-" + digits : digits)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Parses a string starting at its opening quote.
    private mutating func parseString() throws(JSONParseError) -> String {
        let start = position
        position += 1 // "
        var scalars = String.UnicodeScalarView()
        while true {
            guard let byte = current else { throw fail("unterminated string", at: start) }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                scalars.append(try parseEscape())
            case 0x00..<0x20:
                throw fail("raw control character \(describe(byte)) in a string (must be escaped)")
            case 0x00..<0x80:
                scalars.append(Unicode.Scalar(byte))
                position += 1
            default:
                scalars.append(try parseUTF8Scalar())
            }
        }
    }

    private mutating func parseEscape() throws(JSONParseError) -> Unicode.Scalar {
        let start = position
        position += 1 // backslash
        guard let byte = current else { throw fail("unterminated escape", at: start) }
        position += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let unit = try parseHex4(escapeStart: start)
            switch unit {
            case 0xD800...0xDBFF:
                let lowStart = position
                guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                    throw fail("high surrogate \\u\(hex4(unit)) not followed by a low surrogate", at: start)
                }
                position += 2
                let low = try parseHex4(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw fail("high surrogate \\u\(hex4(unit)) followed by \\u\(hex4(low)), not a low surrogate", at: start)
                }
                return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
            case 0xDC00...0xDFFF:
                throw fail("lone low surrogate \\u\(hex4(unit))", at: start)
            default:
                return Unicode.Scalar(unit)!
            }
        default:
            throw fail("invalid escape \\\(describe(byte))", at: start)
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = hexValue(byte) else { throw fail("\\u needs four hex digits", at: escapeStart) }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Decodes one multi-byte UTF-8 sequence, refusing overlong forms, surrogates and values past
    /// U+10FFFF (what Python's strict UTF-8 decoder refuses).
    private mutating func parseUTF8Scalar() throws(JSONParseError) -> Unicode.Scalar {
        let start = position
        let lead = bytes[position]
        let (length, initial, minimum): (Int, UInt32, UInt32) = switch lead {
        case 0xC2...0xDF: (2, UInt32(lead & 0x1F), 0x80)
        case 0xE0...0xEF: (3, UInt32(lead & 0x0F), 0x800)
        case 0xF0...0xF4: (4, UInt32(lead & 0x07), 0x10000)
        default: (0, 0, 0)
        }
        guard length > 0, start + length <= bytes.count else { throw fail("invalid UTF-8", at: start) }
        var value = initial
        for offset in 1..<length {
            let byte = bytes[start + offset]
            guard byte & 0xC0 == 0x80 else { throw fail("invalid UTF-8", at: start) }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { throw fail("invalid UTF-8", at: start) }
        position += length
        return scalar
    }

    private func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "0x" + String(byte, radix: 16)
    }
}
