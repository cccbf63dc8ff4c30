/// "Did you mean …?" for mistyped section and key names.
enum SpellingSuggestion {
    /// The closest candidate, if it is close enough to be a plausible typo
    /// (about one edit per four characters, at least one).
    static func closest(to word: String, among candidates: [String]) -> String? {
        let allowed = max(1, word.count / 4)
        let scored = candidates.map { (candidate: $0, distance: editDistance(word, $0)) }
        guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= allowed else {
            return nil
        }
        return best.candidate
    }

    /// " (did you mean 'x'?)" or the empty string, ready to append to a message.
    static func hint(for word: String, among candidates: [String], quote: (String) -> String = { "'\($0)'" }) -> String {
        guard let suggestion = closest(to: word, among: candidates) else { return "" }
        return " (did you mean \(quote(suggestion))?)"
    }

    /// Edit distance counting insertions, deletions, substitutions and swaps of
    /// neighbouring characters (optimal string alignment): "comand" is one edit from "command".
    static func editDistance(_ left: String, _ right: String) -> Int {
        let a = Array(left), b = Array(right)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let substitution = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, table[i - 2][j - 2] + 1)
                }
                table[i][j] = best
            }
        }
        return table[a.count][b.count]
    }
}
