/// A Debian version `[epoch:]upstream[-revision]`, parsed and ordered as dpkg does
/// (`lib/dpkg/parsehelp.c` `parseversion`, `lib/dpkg/version.c` `verrevcmp`).
///
/// Equality is dpkg's: `1.0 == 1.00 == 0:1.0` (digit runs compare as numbers, epoch 0 is the
/// default), and hashing agrees with it. `description` is canonical rather than as written:
/// the epoch is shown only when it is not 0, so `0:1.0` prints as `1.0` (as dpkg prints versions),
/// except that `0:` is kept when the rest contains a colon (`0:1:2`, which would otherwise read
/// back as epoch 1).
public struct DebianVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let epoch: Int
    public let upstream: String
    /// Empty if the version has no `-revision`.
    public let revision: String

    /// Parses `text` with the strictness of libdpkg's `parseversion` (what `dpkg --compare-versions`
    /// uses): throws for its errors — empty version, embedded spaces, empty/non-numeric/negative/
    /// too big epoch, nothing after the colon, empty revision, empty upstream version — and accepts
    /// what dpkg only warns about (upstream not starting with a digit, characters outside
    /// `[A-Za-z0-9.+~:-]` / `[A-Za-z0-9.+~]`). Leading and trailing spaces and tabs are ignored.
    /// NUL characters are rejected (C strings cannot contain them).
    public init(_ text: String) throws(DebianVersionError) {
        let parsed = try Self.parse(text)
        (epoch, upstream, revision) = (parsed.epoch, parsed.upstream, parsed.revision)
    }

    /// Parses `text` like `init(_:)` and also rejects what dpkg warns about, as dpkg's Perl tools
    /// (`Dpkg::Version::version_check`, used by dpkg-source and dpkg-genbuildinfo) do. Use this for
    /// versions read from files Debian tools wrote.
    public init(validating text: String) throws(DebianVersionError) {
        let parsed = try Self.parse(text)
        if let warning = parsed.warning { throw DebianVersionError(version: text, message: warning) }
        (epoch, upstream, revision) = (parsed.epoch, parsed.upstream, parsed.revision)
    }

    /// `epoch:upstream-revision`, the epoch only when not 0 (or when the rest contains a colon),
    /// the revision only when not empty. Parsing it gives back an equal version.
    public var description: String {
        let rest = withoutEpoch
        return epoch == 0 && !rest.utf8.contains(UInt8(ascii: ":")) ? rest : "\(epoch):\(rest)"
    }

    /// `upstream-revision` (or `upstream`): the form used in file names.
    public var withoutEpoch: String {
        revision.isEmpty ? upstream : "\(upstream)-\(revision)"
    }

    /// N of a `+bN` binNMU suffix at the end of the revision (of the upstream version for a native
    /// package), nil if there is none.
    public var binNMU: Int? {
        let part = revision.isEmpty ? upstream : revision
        let bytes = Array(part.utf8)
        var digitsStart = bytes.count
        while digitsStart > 0 && Self.isDigit(bytes[digitsStart - 1]) { digitsStart -= 1 }
        guard digitsStart < bytes.count, digitsStart >= 2,
            bytes[digitsStart - 2] == UInt8(ascii: "+"), bytes[digitsStart - 1] == UInt8(ascii: "b")
        else { return nil }
        return Int(String(decoding: bytes[digitsStart...], as: UTF8.self))
    }

    /// dpkg's comparison: -1, 0 or 1.
    public static func compare(_ a: DebianVersion, _ b: DebianVersion) -> Int {
        if a.epoch != b.epoch { return a.epoch < b.epoch ? -1 : 1 }
        let upstream = verrevcmp(Array(a.upstream.utf8), Array(b.upstream.utf8))
        if upstream != 0 { return upstream < 0 ? -1 : 1 }
        let revision = verrevcmp(Array(a.revision.utf8), Array(b.revision.utf8))
        return revision == 0 ? 0 : (revision < 0 ? -1 : 1)
    }

    public static func < (a: DebianVersion, b: DebianVersion) -> Bool { compare(a, b) < 0 }

    public static func == (a: DebianVersion, b: DebianVersion) -> Bool { compare(a, b) == 0 }

    /// Hashes the form in which dpkg-equal versions are identical: digit runs without leading zeros,
    /// empty trailing parts dropped.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(epoch)
        for part in [upstream, revision] {
            let pieces = Self.normalized(Array(part.utf8))
            hasher.combine(pieces.count)
            for piece in pieces {
                hasher.combine(piece.nonDigits)
                hasher.combine(piece.digits)
            }
        }
    }
}

extension DebianVersion {
    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }

    private static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }

    /// C `isspace` in the C locale, as `strtol` skips it.
    private static func isCSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

    private static func parse(
        _ text: String
    ) throws(DebianVersionError) -> (epoch: Int, upstream: String, revision: String, warning: String?) {
        func fail(_ message: String) -> DebianVersionError {
            DebianVersionError(version: text, message: message)
        }
        let b = Array(text.utf8)
        let n = b.count
        if b.contains(0) { throw fail("version string contains a NUL character") }
        var start = 0
        while start < n && isBlank(b[start]) { start += 1 }
        if start == n { throw fail("version string is empty") }
        var end = start
        while end < n && !isBlank(b[end]) { end += 1 }
        var rest = end
        while rest < n && isBlank(b[rest]) { rest += 1 }
        if rest < n { throw fail("version string has embedded spaces") }

        var epoch = 0
        var versionStart = start
        if let colon = b[start..<end].firstIndex(of: UInt8(ascii: ":")) {
            // strtol(string, &end, 10): optional white space, optional sign, digits.
            var q = start
            while q < end && isCSpace(b[q]) { q += 1 }
            var negative = false
            if q < end && (b[q] == UInt8(ascii: "+") || b[q] == UInt8(ascii: "-")) {
                negative = b[q] == UInt8(ascii: "-")
                q += 1
            }
            let digitsStart = q
            var value = 0
            var overflow = false
            while q < end && isDigit(b[q]) {
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int(b[q] - 0x30))
                if o1 || o2 { overflow = true } else { value = sum }
                q += 1
            }
            if q == digitsStart { throw fail("epoch in version is empty") }
            if q != colon { throw fail("epoch in version is not number") }
            if negative && (value != 0 || overflow) { throw fail("epoch in version is negative") }
            if overflow || value > Int(Int32.max) { throw fail("epoch in version is too big") }
            if colon + 1 == end { throw fail("nothing after colon in version number") }
            epoch = value
            versionStart = colon + 1
        }

        var upstreamEnd = end
        var revisionStart = end
        if let hyphen = b[versionStart..<end].lastIndex(of: UInt8(ascii: "-")) {
            if hyphen + 1 == end { throw fail("revision number is empty") }
            upstreamEnd = hyphen
            revisionStart = hyphen + 1
        }
        if upstreamEnd == versionStart { throw fail("version number is empty") }

        var warning: String?
        if !isDigit(b[versionStart]) {
            warning = "version number does not start with digit"
        } else if b[(versionStart + 1)..<upstreamEnd].contains(where: {
            !isDigit($0) && !isAlpha($0) && !".-+~:".utf8.contains($0)
        }) {
            warning = "invalid character in version number"
        } else if b[revisionStart..<end].contains(where: {
            !isDigit($0) && !isAlpha($0) && !".+~".utf8.contains($0)
        }) {
            warning = "invalid character in revision number"
        }
        return (
            epoch,
            String(decoding: b[versionStart..<upstreamEnd], as: UTF8.self),
            String(decoding: b[revisionStart..<end], as: UTF8.self),
            warning
        )
    }

    /// dpkg's weight of a character: digits (and the end) 0, `~` -1, letters their code, anything
    /// else its code + 256. Bytes ≥ 0x80 (only in versions dpkg warns about) weigh their code, as
    /// with a signed `char` (x86-64, where `(signed char)c + 256 == c`).
    private static func order(_ c: UInt8?) -> Int {
        guard let c else { return 0 }
        if isDigit(c) { return 0 }
        if isAlpha(c) { return Int(c) }
        if c == UInt8(ascii: "~") { return -1 }
        if c >= 0x80 { return Int(c) }
        return Int(c) + 256
    }

    /// dpkg's `verrevcmp`: alternately compares non-digit runs character by character (by
    /// `order`) and digit runs as numbers.
    static func verrevcmp(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            var firstDiff = 0
            while (i < a.count && !isDigit(a[i])) || (j < b.count && !isDigit(b[j])) {
                let ac = order(i < a.count ? a[i] : nil)
                let bc = order(j < b.count ? b[j] : nil)
                if ac != bc { return ac - bc }
                i += 1
                j += 1
            }
            while i < a.count && a[i] == UInt8(ascii: "0") { i += 1 }
            while j < b.count && b[j] == UInt8(ascii: "0") { j += 1 }
            while i < a.count && j < b.count && isDigit(a[i]) && isDigit(b[j]) {
                if firstDiff == 0 { firstDiff = Int(a[i]) - Int(b[j]) }
                i += 1
                j += 1
            }
            if i < a.count && isDigit(a[i]) { return 1 }
            if j < b.count && isDigit(b[j]) { return -1 }
            if firstDiff != 0 { return firstDiff }
        }
        return 0
    }

    /// (non-digit run, digit run without leading zeros) pairs, without empty trailing pairs:
    /// two strings are equal under `verrevcmp` exactly when these are equal.
    static func normalized(_ s: [UInt8]) -> [(nonDigits: ArraySlice<UInt8>, digits: ArraySlice<UInt8>)] {
        var pieces: [(nonDigits: ArraySlice<UInt8>, digits: ArraySlice<UInt8>)] = []
        var i = 0
        while i < s.count {
            let nonDigitStart = i
            while i < s.count && !isDigit(s[i]) { i += 1 }
            let nonDigits = s[nonDigitStart..<i]
            while i < s.count && s[i] == UInt8(ascii: "0") { i += 1 }
            let digitStart = i
            while i < s.count && isDigit(s[i]) { i += 1 }
            pieces.append((nonDigits, s[digitStart..<i]))
        }
        while let last = pieces.last, last.nonDigits.isEmpty, last.digits.isEmpty { pieces.removeLast() }
        return pieces
    }
}
