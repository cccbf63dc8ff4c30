import Testing
@testable import RebuilderSettings

@Suite struct ShellWordsTests {
    @Test(arguments: [
        ("/bin/task", ["/bin/task"]),
        ("  a   b\tc  ", ["a", "b", "c"]),
        ("a\nb", ["a", "b"]),
        ("'a b' c", ["a b", "c"]),
        ("\"a b\" c", ["a b", "c"]),
        ("--name=\"a b\"x", ["--name=a bx"]),
        ("'' \"\"", ["", ""]),
        ("a\\ b", ["a b"]),
        ("\\'quoted\\'", ["'quoted'"]),
        ("'it'\\''s'", ["it's"]),
        ("'a\\b'", ["a\\b"]),
        ("\"a\\\"b\"", ["a\"b"]),
        ("\"a\\\\b\"", ["a\\b"]),
        ("\"a\\nb\"", ["a\\nb"]),
        ("\"\\$HOME\"", ["$HOME"]),
        ("a\\\nb", ["ab"]),
        ("a \\\n b", ["a", "b"]),
        ("$HOME ~ *.deb `x` # not a comment", ["$HOME", "~", "*.deb", "`x`", "#", "not", "a", "comment"]),
        ("'\"' \"'\"", ["\"", "'"]),
        ("", []),
        ("   ", []),
    ])
    func splits(line: String, words: [String]) throws {
        #expect(try ShellWords.split(line) == words)
    }

    @Test(arguments: [
        ("'open", "unterminated single quote"),
        ("a 'b c", "unterminated single quote"),
        ("\"open", "unterminated double quote"),
        ("\"a\\\"", "unterminated double quote"),
        ("trailing\\", "a backslash at the end escapes nothing"),
    ])
    func rejects(line: String, message: String) {
        #expect(throws: ShellWordsError(message: message)) {
            try ShellWords.split(line)
        }
    }
}
