/// Byte-level checks shared by the deb822 and clearsign readers, and the cutting of bytes into lines.
///
/// Policy: text is UTF-8 without NUL bytes and without carriage returns. dpkg's Perl parser
/// silently strips trailing `\r`; here a CR is an error, so that a mangled (CRLF) file is noticed
/// instead of being read differently by different tools.
enum TextScan {
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09

    /// Throws for the first NUL byte, carriage return or invalid UTF-8 sequence, naming its line
    /// (counted from `firstLine`) and its column (1-based, in bytes). Linear time.
    static func validate(_ bytes: [UInt8], path: String, firstLine: Int = 1) throws(BuildinfoError) {
        let problem: (line: Int, message: String)? = bytes.withUnsafeBufferPointer { buffer in
            var line = firstLine
            var lineStart = 0
            var i = 0
            let n = buffer.count
            while i < n {
                let b = buffer[i]
                if b < 0x80 {
                    if b == lf {
                        line += 1
                        lineStart = i + 1
                    } else if b == 0 {
                        return (line, "NUL byte at column \(i - lineStart + 1)")
                    } else if b == cr {
                        return (line, "carriage return at column \(i - lineStart + 1) (CRLF line endings are not accepted)")
                    }
                    i += 1
                    continue
                }
                let length = UTF8Sequence.length(in: buffer, at: i, end: buffer.count)
                if length == 0 {
                    return (line, "invalid UTF-8 at column \(i - lineStart + 1) (byte 0x\(hex(b)))")
                }
                i += length
            }
            return nil
        }
        if let problem {
            throw BuildinfoError(path: path, line: problem.line, message: problem.message)
        }
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    /// The lines of `bytes` as ranges without their LF, in order, computed lazily. A final line
    /// without LF is a line; a final LF does not start an extra empty line. Linear time.
    struct Lines: Sequence, IteratorProtocol {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
        }

        mutating func next() -> Range<Int>? {
            let n = bytes.count
            guard position < n else { return nil }
            let start = position
            let end: Int = bytes.withUnsafeBufferPointer { buffer in
                var i = start
                while i < n && buffer[i] != TextScan.lf { i += 1 }
                return i
            }
            position = end + 1
            return start..<end
        }
    }

    /// `range` without trailing spaces and tabs.
    static func trimmingTrailingBlanks(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var end = range.upperBound
        while end > range.lowerBound && (bytes[end - 1] == space || bytes[end - 1] == tab) {
            end -= 1
        }
        return range.lowerBound..<end
    }

    /// `range` without leading spaces and tabs.
    static func trimmingLeadingBlanks(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        while start < range.upperBound && (bytes[start] == space || bytes[start] == tab) {
            start += 1
        }
        return start..<range.upperBound
    }

    /// Decodes an already validated range.
    static func string(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}
