import Buildinfo
import Testing

@Suite("Deb822 paragraphs")
struct Deb822Tests {
    func parse(_ text: String, allowComments: Bool = false, firstLine: Int = 1) throws -> [Deb822Paragraph] {
        try Deb822.parse(Array(text.utf8), path: "c", firstLine: firstLine, allowComments: allowComments)
    }

    func expectError(
        _ text: String, allowComments: Bool = false, line: Int?, field: String? = nil, _ message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(throws: BuildinfoError(path: "c", line: line, field: field, message: message), sourceLocation: sourceLocation) {
            try parse(text, allowComments: allowComments)
        }
    }

    @Test("fields, continuation lines, ' .' lines, paragraphs and line numbers")
    func structure() throws {
        let text = """

            Source: hello
            Description: short
             long line one
             .
             ..
            \t  indented with a tab
            Empty:
            \("")
            Package: hello
            Multi-Arch: foreign  \t

            """
        let paragraphs = try parse(text)
        try #require(paragraphs.count == 2)
        let first = paragraphs[0]
        #expect(first.line == 2)
        #expect(first.fields.map(\.name) == ["Source", "Description", "Empty"])
        let description = try #require(first["Description"])
        #expect(description.line == 3)
        #expect(description.firstLine == "short")
        #expect(description.continuationLines == [
            Deb822Line(text: "long line one", line: 4),
            Deb822Line(text: "", line: 5),
            Deb822Line(text: ".", line: 6),
            Deb822Line(text: "  indented with a tab", line: 7),
        ])
        #expect(description.value == "short\nlong line one\n\n.\n  indented with a tab")
        #expect(description.isMultiline)
        #expect(first["Empty"]?.value == "")
        #expect(first["Empty"]?.isMultiline == false)
        #expect(paragraphs[1].line == 10)
        #expect(paragraphs[1]["multi-arch"]?.firstLine == "foreign")
        #expect(paragraphs[1]["Multi-Arch"]?.name == "Multi-Arch")
        #expect(paragraphs[1]["MULTI-ARCH"] != nil)
        #expect(paragraphs[1]["Multi"] == nil)
    }

    @Test("a value that starts on the next line has no leading empty line")
    func valueOnNextLines() throws {
        let field = try #require(try parse("Checksums-Sha256:\n a 1 x\n b 2 y\n")[0]["checksums-sha256"])
        #expect(field.firstLine == "")
        #expect(field.value == "a 1 x\nb 2 y")
        #expect(field.lines.map(\.line) == [2, 3])
    }

    @Test("lines of only spaces and tabs separate paragraphs; no final newline is fine")
    func separators() throws {
        let paragraphs = try parse("A: 1\n \t \nB: 2\n\n\n\nC: 3")
        #expect(paragraphs.map { $0.fields.map(\.name) } == [["A"], ["B"], ["C"]])
        #expect(paragraphs.map(\.line) == [1, 3, 7])
        #expect(try parse("").isEmpty)
        #expect(try parse("\n\n  \n").isEmpty)
    }

    @Test("comments: skipped when allowed, even between continuation lines; an error otherwise")
    func comments() throws {
        let text = "# top\nA: 1\n# inside\n continued\nB: 2\n"
        let paragraphs = try parse(text, allowComments: true)
        #expect(paragraphs.count == 1)
        #expect(paragraphs[0]["A"]?.value == "1\ncontinued")
        #expect(paragraphs[0]["A"]?.continuationLines.first?.line == 4)
        expectError(text, line: 1, "comment line not allowed here (field names cannot start with '#')")
        expectError("A: 1\n#B: 2\n", line: 2, "comment line not allowed here (field names cannot start with '#')")
    }

    @Test("line numbers start at firstLine")
    func offset() throws {
        let paragraphs = try parse("A: 1\n b\n", firstLine: 10)
        #expect(paragraphs[0]["A"]?.line == 10)
        #expect(paragraphs[0]["A"]?.continuationLines.first?.line == 11)
        #expect(throws: BuildinfoError(path: "c", line: 11, message: "NUL byte at column 2")) {
            try Deb822.parse(Array("A: 1\n \0\n".utf8), path: "c", firstLine: 10)
        }
    }

    @Test("malformed lines")
    func malformed() {
        expectError("A: 1\nA: 2\n", line: 2, field: "A", "duplicate field (first at line 1)")
        expectError("Source: a\nsource: b\n", line: 2, field: "source", "duplicate field (first at line 1)")
        expectError("A: 1\n\nA: 2\nB: 1\nb: 2\n", line: 5, field: "b", "duplicate field (first at line 4)")
        expectError(" A: 1\n", line: 1, "continuation line outside a field: ' A: 1'")
        expectError("A: 1\n\n more\n", line: 3, "continuation line outside a field: ' more'")
        expectError("A 1\n", line: 1, "expected 'Field: value', got 'A 1'")
        expectError("A: 1\nB\n", line: 2, "expected 'Field: value', got 'B'")
        expectError(": 1\n", line: 1, "empty field name")
        expectError("-A: 1\n", line: 1, "field name '-A' cannot start with '-'")
        expectError("Bad Name: 1\n", line: 1, "invalid character ' ' in field name 'Bad Name'")
        expectError("A\t: 1\n", line: 1, "invalid character '\\t' in field name 'A\\t'")
        expectError("Näme: 1\n", line: 1, "invalid character (non-ASCII) in field name 'Näme'")
    }

    @Test("bytes: NUL, carriage return and invalid UTF-8 are errors with line and column")
    func bytes() {
        func expectBytes(_ bytes: [UInt8], line: Int, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(throws: BuildinfoError(path: "c", line: line, message: message), sourceLocation: sourceLocation) {
                try Deb822.parse(bytes, path: "c")
            }
        }
        expectBytes(Array("A: 1\nB: x\0y\n".utf8), line: 2, "NUL byte at column 5")
        expectBytes(Array("A: 1\r\nB: 2\r\n".utf8), line: 1, "carriage return at column 5 (CRLF line endings are not accepted)")
        expectBytes(Array("A: 1\n\nB: ".utf8) + [0xFF], line: 3, "invalid UTF-8 at column 4 (byte 0xff)")
        expectBytes(Array("A: ".utf8) + [0xC0, 0x80], line: 1, "invalid UTF-8 at column 4 (byte 0xc0)")  // overlong
        expectBytes(Array("A: ".utf8) + [0xED, 0xA0, 0x80], line: 1, "invalid UTF-8 at column 4 (byte 0xed)")  // surrogate
        expectBytes(Array("A: ".utf8) + [0xF4, 0x90, 0x80, 0x80], line: 1, "invalid UTF-8 at column 4 (byte 0xf4)")  // > U+10FFFF
        expectBytes(Array("A: x".utf8) + [0xE2, 0x82], line: 1, "invalid UTF-8 at column 5 (byte 0xe2)")  // truncated
        expectBytes(Array("A: ".utf8) + [0x80], line: 1, "invalid UTF-8 at column 4 (byte 0x80)")  // stray continuation
    }

    @Test("valid UTF-8 of every length is accepted and kept")
    func utf8() throws {
        let text = "A: é € 𝄞 \u{10FFFF}\n"
        #expect(try parse(text)[0]["A"]?.value == "é € 𝄞 \u{10FFFF}")
    }

    @Test("messages show at most 100 characters of a line, escaped")
    func excerpts() {
        let long = String(repeating: "x", count: 150)
        expectError(long + "\n", line: 1, "expected 'Field: value', got '\(String(repeating: "x", count: 100))…'")
        expectError("A\u{1}: 1\n", line: 1, "invalid character '\\u{1}' in field name 'A\\u{1}'")
        // A right-to-left override in a message would make it read differently from the file.
        expectError("A\u{202E}B: 1\n", line: 1, "invalid character (non-ASCII) in field name 'A\\u{202e}B'")
    }
}
