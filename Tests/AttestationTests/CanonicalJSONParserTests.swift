import Foundation
import Testing
import TestSupport
@testable import Attestation

@Suite struct CanonicalJSONParserTests {
    /// Parsing generated texts and encoding canonically gives securesystemslib's bytes exactly.
    @Test func parsedValuesEncodeLikeSecuresystemslib() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        var generator = GeneratedJSON(random: SeededGenerator(seed: 20_240_521))
        let cases = (0..<300).map { _ in generator.value() }
        let text = "[" + cases.map { generator.text($0) }.joined(separator: ",") + "]"
        let parsed = try CanonicalJSON(parsing: Array(text.utf8))
        #expect(parsed == .array(cases))
        let script = "import json,sys; from securesystemslib.formats import encode_canonical; sys.stdout.buffer.write(encode_canonical(json.load(sys.stdin)).encode())"
        let expected = try scratch.checked("/usr/bin/python3", ["-c", script], input: Array(text.utf8)).stdout
        #expect(parsed.bytes == expected)
    }

    /// The file form equals Python's `json.dumps(indent=1, separators=(",", ": "), sort_keys=True)` (the input,
    /// canonical bytes, holds raw control characters, which only a non-strict json.load accepts).
    @Test func indentedFormIsPythonsJSONDump() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        var generator = GeneratedJSON(random: SeededGenerator(seed: 7))
        let value = CanonicalJSON.object((0..<60).map { index in ("k\(index)" + generator.string(), generator.value()) })
        let script = #"import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin, strict=False), indent=1, separators=(",", ": "), sort_keys=True))"#
        let expected = try scratch.checked("/usr/bin/python3", ["-c", script], input: value.bytes).stdout
        #expect(value.indentedBytes == expected)
    }

    @Test func keepsMemberOrderKeysAndIntegersExactly() throws {
        let value = try CanonicalJSON(parsing: Array(#"{"z": 1, "e\u0301": -0, "\u00e9": 123456789012345678901234567890, "a": [true, false, null]}"#.utf8))
        let members = try #require(value.objectMembers)
        #expect(members.map { Array($0.key.utf8) } == [[0x7A], [0x65, 0xCC, 0x81], [0xC3, 0xA9], [0x61]])
        #expect(members[1].value == .integer("0"))
        #expect(value["\u{e9}"]?.integerDigits == "123456789012345678901234567890")
        #expect(value["e\u{301}"]?.intValue == 0)
        #expect(value["a"]?.arrayValue?.count == 3)
        #expect(value["missing"] == nil)
    }

    @Test(arguments: [
        ("", 0, "unexpected end of input"),
        ("{\"a\":1,\"a\":2}", 7, "duplicate key"),
        ("{\"a\":1,\"a\" : {}}", 7, "duplicate key"),
        ("[1.5]", 1, "floats"),
        ("[1e3]", 1, "floats"),
        ("[-1E-3]", 1, "floats"),
        ("[NaN]", 1, "NaN"),
        ("[-Infinity]", 1, "expected digits"),
        ("[Infinity]", 1, "NaN"),
        ("[01]", 1, "leading zeros"),
        ("[-]", 1, "expected digits"),
        ("[1,]", 3, "expected a value"),
        ("{\"a\" 1}", 5, "':'"),
        ("{\"a\":1,}", 7, "member name"),
        ("{1:2}", 1, "member name"),
        ("[1] x", 4, "after the JSON value"),
        ("\"abc", 0, "unterminated string"),
        ("\"a\tb\"", 2, "raw control character"),
        ("\"\\x\"", 1, "invalid escape"),
        ("\"\\u12\"", 1, "four hex digits"),
        ("\"\\ud800\"", 1, "not followed by a low surrogate"),
        ("\"\\ud800\\u0041\"", 1, "not a low surrogate"),
        ("\"\\udc00\"", 1, "lone low surrogate"),
        ("tru", 0, "invalid literal"),
        ("nul", 0, "invalid literal"),
        ("\u{feff}[]", 0, "unexpected character"),
    ])
    func refusesMalformedInput(text: String, offset: Int, reason: String) {
        #expect {
            try CanonicalJSON(parsing: Array(text.utf8))
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.offset == offset && error.reason.contains(reason)
        }
    }

    @Test(arguments: [[0x22, 0xC3, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xFF, 0x22]] as [[UInt8]])
    func refusesInvalidUTF8(bytes: [UInt8]) {
        #expect(throws: JSONParseError(offset: 1, reason: "invalid UTF-8")) { try CanonicalJSON(parsing: bytes) }
    }

    @Test func refusesDeepNestingWithoutCrashing() throws {
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
        #expect(throws: JSONParseError(offset: CanonicalJSON.defaultMaxDepth, reason: "nesting deeper than \(CanonicalJSON.defaultMaxDepth) levels")) {
            try CanonicalJSON(parsing: deep)
        }
        let allowed = String(repeating: "{\"a\":", count: 100) + "1" + String(repeating: "}", count: 100)
        #expect(try CanonicalJSON(parsing: Array(allowed.utf8)).bytes == Array(allowed.utf8))
    }

    /// Random byte mutations of a valid document either parse or give an error; none crashes.
    @Test func mutatedDocumentsNeverCrash() {
        var generator = GeneratedJSON(random: SeededGenerator(seed: 99))
        let base = Array(generator.text(generator.value()).utf8) + Array(#"{"a":[1,"\u00e9\ud83d\ude00",{"b":null}]}"#.utf8)
        var random = SeededGenerator(seed: 1)
        let alphabet = Array(#"{}[]":,\-0123456789eE.tfnu "#.utf8) + [0x00, 0x80, 0xC3, 0xED, 0xF0, 0xFF]
        var outcomes = (parsed: 0, refused: 0)
        for _ in 0..<3000 {
            var bytes = base
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[index] = alphabet.randomElement(using: &random)!
                case 1: bytes.remove(at: index)
                default: bytes.insert(alphabet.randomElement(using: &random)!, at: index)
                }
                if bytes.isEmpty { bytes = [0x20] }
            }
            do {
                _ = try CanonicalJSON(parsing: bytes)
                outcomes.parsed += 1
            } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
                outcomes.refused += 1
            }
        }
        #expect(outcomes.refused > 0)
    }
}
