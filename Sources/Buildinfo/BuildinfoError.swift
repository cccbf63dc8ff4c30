import UntrustedText

/// An error found while reading a deb822, clearsigned or `.buildinfo` file.
///
/// `line` is the 1-based line in the file named by `path` (lines of a clearsigned file keep
/// their numbers in the signed text); `field` names the deb822 field the problem is in.
public struct BuildinfoError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var field: String?
    public var message: String

    public init(path: String, line: Int? = nil, field: String? = nil, message: String) {
        self.path = path
        self.line = line
        self.field = field
        self.message = message
    }

    /// `path:line: field: message`, leaving out what is unknown, e.g.
    /// `/spool/new/x.buildinfo:14: Checksums-Sha256: line 3: expected '<sha256> <size> <name>', got 'abc 12'`.
    public var description: String {
        var text = path
        if let line { text += ":\(line)" }
        text += ": "
        if let field { text += "\(Excerpt.quoteless(field)): " }
        return text + message
    }
}

/// How a file's text shows in error messages (`UntrustedText`): at most `limit` characters,
/// control and format characters escaped (`\t`, `\u{202e}`), any language shown as it is.
enum Excerpt {
    static let limit = 100

    /// `'text'`, shortened with `…` when longer than `limit` characters.
    static func quoted(_ text: Substring) -> String {
        "'" + quoteless(text) + "'"
    }

    static func quoted(_ text: String) -> String {
        quoted(text[...])
    }

    static func quoteless(_ text: String) -> String {
        quoteless(text[...])
    }

    static func quoteless(_ text: Substring) -> String {
        UntrustedText.escaped(text, shown: .visibleUnicode, limit: limit)
    }
}
