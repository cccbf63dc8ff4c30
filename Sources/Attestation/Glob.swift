/// Python's `fnmatch` for the patterns layouts use: `*` matches any run of characters (including
/// `/`), `?` one character, everything else itself. Character classes are not supported.
struct Glob: Equatable {
    let pattern: String
    private let scalars: [Unicode.Scalar]

    init?(_ pattern: String) {
        guard !pattern.unicodeScalars.contains("[") else { return nil }
        self.pattern = pattern
        scalars = Array(pattern.unicodeScalars)
    }

    func matches(_ name: String) -> Bool {
        let text = Array(name.unicodeScalars)
        // Iterative wildcard matching with backtracking to the last `*`.
        var p = 0, t = 0
        var star: Int?, starText = 0
        while t < text.count {
            if p < scalars.count, scalars[p] == "?" || (scalars[p] != "*" && scalars[p] == text[t]) {
                p += 1; t += 1
            } else if p < scalars.count, scalars[p] == "*" {
                star = p; starText = t; p += 1
            } else if let star {
                p = star + 1; starText += 1; t = starText
            } else {
                return false
            }
        }
        while p < scalars.count, scalars[p] == "*" { p += 1 }
        return p == scalars.count
    }
}
