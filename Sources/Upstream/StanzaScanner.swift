/// A streaming reader of deb822 stanzas (an archive's `Sources` and `Packages` indexes) that
/// picks a few single-line fields and skips the rest without copying: Buildinfo's `Deb822` keeps
/// every field of every paragraph as strings, too much for a 100 MB index.
struct StanzaScanner {
    /// One stanza: the values of the wanted fields (trimmed), by position in `wanted`.
    struct Stanza {
        /// Line of its first field.
        var line = 0
        var firstLine: Range<Int> = 0..<0
        var values: [Range<Int>?]
        /// The first thing wrong with it, if anything: the stanza should then be rejected.
        var problem: String?

        init(fields: Int) { values = Array(repeating: nil, count: fields) }
    }

    /// Lower-case names of the fields to pick.
    let wanted: [[UInt8]]

    init(fields: [String]) {
        wanted = fields.map { Array($0.lowercased().utf8) }
    }

    /// Calls `body` for each stanza, in order. Field names match ignoring ASCII case; trailing
    /// CRs are tolerated. A line that is neither `Name: value` nor a continuation, a comment, a
    /// continuation of a picked field or a picked field given twice marks the stanza's `problem`.
    func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Stanza) -> Void) {
        var stanza = Stanza(fields: wanted.count)
        var inStanza = false
        var currentWanted = false  // the field being continued is a picked one
        var line = 0
        var start = 0
        let n = bytes.count

        func finish() {
            if inStanza { body(stanza) }
            inStanza = false
            for k in stanza.values.indices { stanza.values[k] = nil }
            stanza.problem = nil
        }

        while start < n {
            let end = ByteText.lineEnd(bytes, from: start)
            line += 1
            defer { start = end + 1 }
            var first = start
            while first < end && ByteText.isBlank(bytes[first]) { first += 1 }
            if first == end {
                finish()
                continue
            }
            if !inStanza {
                inStanza = true
                stanza.line = line
                stanza.firstLine = ByteText.trimmed(bytes, start..<end)
                currentWanted = false
            }
            let lead = bytes[start]
            if lead == ByteText.space || lead == ByteText.tab {
                if currentWanted, stanza.problem == nil {
                    stanza.problem = "line \(line): a picked field continues on another line"
                }
                continue
            }
            if lead == UInt8(ascii: "#") {
                if stanza.problem == nil { stanza.problem = "line \(line): comment line" }
                currentWanted = false
                continue
            }
            var colon = start
            while colon < end && bytes[colon] != UInt8(ascii: ":") { colon += 1 }
            guard colon < end, colon > start else {
                if stanza.problem == nil { stanza.problem = "line \(line): expected 'Field: value'" }
                currentWanted = false
                continue
            }
            currentWanted = false
            guard let k = match(bytes, start..<colon) else { continue }
            currentWanted = true
            if stanza.values[k] != nil {
                if stanza.problem == nil {
                    stanza.problem = "line \(line): duplicate field '\(ByteText.string(bytes, start..<colon))'"
                }
                continue
            }
            stanza.values[k] = ByteText.trimmed(bytes, (colon + 1)..<end)
        }
        finish()
    }

    @inline(__always)
    private func match(_ bytes: UnsafeBufferPointer<UInt8>, _ name: Range<Int>) -> Int? {
        outer: for (k, field) in wanted.enumerated() where field.count == name.count {
            for (j, c) in field.enumerated() {
                let b = bytes[name.lowerBound + j]
                if (b >= 0x41 && b <= 0x5A ? b + 0x20 : b) != c { continue outer }
            }
            return k
        }
        return nil
    }
}
