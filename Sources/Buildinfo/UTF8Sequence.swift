/// UTF-8 checked byte by byte, for scanners that walk raw buffers of untrusted text and must
/// say where the first bad byte is (Swift's own validation only says whether there is one).
public enum UTF8Sequence {
    /// Length of the well-formed UTF-8 sequence at `i` (lead byte ≥ 0x80) ending before `end`,
    /// or 0 if it is ill-formed: stray continuation byte, overlong form, surrogate, beyond
    /// U+10FFFF, truncated.
    public static func length(in buffer: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int {
        let lead = buffer[i]
        let length: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondHigh = 0x9F
        case 0xF0: length = 4; secondLow = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondHigh = 0x8F
        default: return 0
        }
        guard i + length <= end else { return 0 }
        let second = buffer[i + 1]
        guard second >= secondLow && second <= secondHigh else { return 0 }
        var k = 2
        while k < length {
            guard buffer[i + k] & 0xC0 == 0x80 else { return 0 }
            k += 1
        }
        return length
    }
}
