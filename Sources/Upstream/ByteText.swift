import Buildinfo
/// Byte-level checks of upstream text, shared by the readers: no `String` per line, so that a
/// million-line listing is read in one pass.
enum ByteText {
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09

    static func isBlank(_ b: UInt8) -> Bool { b == space || b == tab || b == cr }

    /// `range` without leading and trailing spaces, tabs and carriage returns (CRLF tolerated).
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        var end = range.upperBound
        while start < end && isBlank(bytes[start]) { start += 1 }
        while end > start && isBlank(bytes[end - 1]) { end -= 1 }
        return start..<end
    }

    /// The end of the line starting at `start`: the index of its LF, or `bytes.count`.
    @inline(__always)
    static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        let n = bytes.count
        while i < n && bytes[i] != lf { i += 1 }
        return i
    }

    /// A Debian package name (Policy §5.6.1): `[a-z0-9][a-z0-9+.-]+`.
    static func isPackageName(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard range.count >= 2 else { return false }
        let first = bytes[range.lowerBound]
        guard isLowerAlnum(first) else { return false }
        var i = range.lowerBound + 1
        while i < range.upperBound {
            let b = bytes[i]
            guard isLowerAlnum(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
            else { return false }
            i += 1
        }
        return true
    }

    static func isPackageName(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { isPackageName($0, 0..<$0.count) }
    }

    @inline(__always)
    static func isLowerAlnum(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }

    /// Whether two ranges hold the same bytes.
    @inline(__always)
    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        var i = 0
        while i < a.count {
            if bytes[a.lowerBound + i] != bytes[b.lowerBound + i] { return false }
            i += 1
        }
        return true
    }

    /// Byte order of two ranges (a prefix first).
    static func lessThan(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        let common = min(a.count, b.count)
        var i = 0
        while i < common {
            let x = bytes[a.lowerBound + i]
            let y = bytes[b.lowerBound + i]
            if x != y { return x < y }
            i += 1
        }
        return a.count < b.count
    }

    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ text: [UInt8]) -> Bool {
        guard a.count == text.count else { return false }
        var i = 0
        while i < text.count {
            if bytes[a.lowerBound + i] != text[i] { return false }
            i += 1
        }
        return true
    }

    /// Whether `range` begins with `prefix`, ignoring ASCII case (`prefix` in lower case).
    static func hasPrefixIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ prefix: String) -> Bool {
        let p = Array(prefix.utf8)
        guard range.count >= p.count else { return false }
        for (k, c) in p.enumerated() {
            let b = bytes[range.lowerBound + k]
            let lower = b >= 0x41 && b <= 0x5A ? b + 0x20 : b
            if lower != c { return false }
        }
        return true
    }

    /// Whether `range` is well-formed UTF-8.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        var i = range.lowerBound
        while i < range.upperBound {
            if bytes[i] < 0x80 {
                i += 1
                continue
            }
            let length = UTF8Sequence.length(in: bytes, at: i, end: range.upperBound)
            if length == 0 { return false }
            i += length
        }
        return true
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
