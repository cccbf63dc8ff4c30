import Buildinfo
/// Refuses bodies that are not line-oriented text at all: HTML (a portal, a proxy's or a
/// server's error page served with status 200), binary data, invalid UTF-8, nothing. These would
/// otherwise turn into thousands of "bad lines", or into an empty selection that looks normal.
enum TextDocument {
    /// Throws for the first NUL byte, invalid UTF-8 sequence, or line whose first non-blank
    /// character is `<`; and for a body without a non-blank line unless `allowEmpty`.
    /// `kind` completes "not …": "a buildinfo listing". Linear time, no allocation.
    static func check(
        _ bytes: UnsafeBufferPointer<UInt8>, kind: String, source: String, allowEmpty: Bool = false
    ) throws(UpstreamError) {
        var line = 1
        var atLineStart = true  // no non-blank byte seen yet on this line
        var sawContent = false
        var i = 0
        let n = bytes.count
        // A UTF-8 byte order mark is tolerated at the very start.
        if n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        let raw = UnsafeRawPointer(bytes.baseAddress)
        while i < n {
            // Fast path inside a line: skip 8 bytes at a time while they are ASCII without NUL or LF.
            if !atLineStart, let raw {
                while i + 8 <= n {
                    let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    if word & 0x8080_8080_8080_8080 != 0 || hasZeroByte(word) || hasZeroByte(word ^ 0x0A0A_0A0A_0A0A_0A0A) {
                        break
                    }
                    i += 8
                }
                if i >= n { break }
            }
            let b = bytes[i]
            if b == ByteText.lf {
                line += 1
                atLineStart = true
                i += 1
                continue
            }
            if b == 0 {
                throw UpstreamError(source: source, line: line, reason: "binary data (NUL byte), not \(kind)")
            }
            if b >= 0x80 {
                let length = UTF8Sequence.length(in: bytes, at: i, end: n)
                if length == 0 {
                    throw UpstreamError(
                        source: source, line: line,
                        reason: "not valid UTF-8 (byte 0x\(String(b, radix: 16))), not \(kind)")
                }
                atLineStart = false
                sawContent = true
                i += length
                continue
            }
            if atLineStart && !ByteText.isBlank(b) {
                atLineStart = false
                sawContent = true
                if b == UInt8(ascii: "<") {
                    throw UpstreamError(source: source, line: line, reason: "an HTML page, not \(kind)")
                }
            }
            i += 1
        }
        if !sawContent && !allowEmpty {
            throw UpstreamError(source: source, reason: "no entries (empty body), not \(kind)")
        }
    }

    /// Whether a byte of `word` is 0 (exact for words of ASCII bytes, which is when it is used).
    @inline(__always)
    private static func hasZeroByte(_ word: UInt64) -> Bool {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0
    }
}
