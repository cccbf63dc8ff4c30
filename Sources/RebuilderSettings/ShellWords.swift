/// Splits a command line into words the way a POSIX shell treats quoting, and nothing more:
/// no variable, tilde, glob or command expansion, no comments, no operators. `$HOME`, `*`,
/// `#` and `|` are ordinary characters. The command is then run directly, without a shell,
/// so what the configuration says is exactly what is executed.
///
/// - Whitespace (spaces, tabs, newlines) separates words.
/// - `'…'` keeps everything literally, up to the next `'`.
/// - `"…"` keeps everything literally, except that a backslash before `$`, `` ` ``, `"`,
///   `\` or a newline escapes it (backslash-newline disappears); other backslashes stay.
/// - Outside quotes, a backslash keeps the next character literally (backslash-newline disappears).
/// - Quotes can be joined to other text (`--name="a b"` is one word) and `''` is an empty word.
public enum ShellWords {
    public static func split(_ line: String) throws(ShellWordsError) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false  // distinguishes an empty quoted word from no word at all
        var characters = Array(line.unicodeScalars)[...]

        while let character = characters.popFirst() {
            switch character {
            case " ", "\t", "\n", "\r":
                if inWord { words.append(word) }
                word = ""
                inWord = false

            case "'":
                inWord = true
                guard let close = characters.firstIndex(of: "'") else {
                    throw ShellWordsError(message: "unterminated single quote")
                }
                word.unicodeScalars.append(contentsOf: characters[..<close])
                characters = characters[(close + 1)...]

            case "\"":
                inWord = true
                var closed = false
                while let inner = characters.popFirst() {
                    if inner == "\"" { closed = true; break }
                    if inner == "\\", let escaped = characters.first, "$`\"\\\n".unicodeScalars.contains(escaped) {
                        characters.removeFirst()
                        if escaped != "\n" { word.unicodeScalars.append(escaped) }
                        continue
                    }
                    word.unicodeScalars.append(inner)
                }
                guard closed else { throw ShellWordsError(message: "unterminated double quote") }

            case "\\":
                guard let escaped = characters.popFirst() else {
                    throw ShellWordsError(message: "a backslash at the end escapes nothing")
                }
                if escaped == "\n" { continue }  // line continuation: joins, does not separate
                inWord = true
                word.unicodeScalars.append(escaped)

            default:
                inWord = true
                word.unicodeScalars.append(character)
            }
        }
        if inWord { words.append(word) }
        return words
    }
}

public struct ShellWordsError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
