/// The one PGP clearsigned block in a comment, from its `-----BEGIN PGP SIGNED MESSAGE-----` line
/// to its `-----END PGP SIGNATURE-----` line, and nothing around it: text before or after the
/// block (which could try to add a command) never reaches the command inbox. nil when the text
/// holds no complete block or more than one.
public enum ClearsignedBlock {
    static let begin = "-----BEGIN PGP SIGNED MESSAGE-----"
    static let end = "-----END PGP SIGNATURE-----"

    public static func extract(from text: String) -> String? {
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        let begins = lines.indices.filter { lines[$0] == begin }
        let ends = lines.indices.filter { lines[$0] == end }
        guard begins.count == 1, ends.count == 1, let first = begins.first, let last = ends.first, first < last else { return nil }
        return lines[first...last].joined(separator: "\n") + "\n"
    }
}
