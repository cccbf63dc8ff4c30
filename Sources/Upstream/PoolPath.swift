import Buildinfo

/// A buildinfo file's path in a Debian-style pool: `…/<prefix>/<source>/<source>_<version>_<arch>.buildinfo`,
/// checked byte by byte so that whatever the getter later appends to a base URL or turns into a
/// spool task id cannot leave the pool, hide characters or smuggle escapes.
struct PoolPath {
    var path: Range<Int>
    var fileName: Range<Int>
    var source: Range<Int>
    /// As in the file name: no epoch.
    var version: Range<Int>
    var architecture: Range<Int>

    enum Check {
        case file(PoolPath)
        case rejected(String)
    }

    static let suffix = Array(".buildinfo".utf8)

    /// Byte classes: 0 for `A-Za-z0-9.+~_-`, else a bit naming the problem. `/` is 0 too and
    /// tracked by position.
    static let controlBit: UInt8 = 1
    static let backslashBit: UInt8 = 2
    static let percentBit: UInt8 = 4
    static let otherBit: UInt8 = 8
    static let nonASCIIBit: UInt8 = 16

    static let classes: [UInt8] = (0...255).map { (b: Int) -> UInt8 in
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return 0
        case 0x2E, 0x2B, 0x7E, 0x5F, 0x2D, 0x2F: return 0  // . + ~ _ - /
        case 0x00...0x1F, 0x7F: return controlBit
        case 0x5C: return backslashBit
        case 0x25: return percentBit
        case 0x80...0xFF: return nonASCIIBit
        default: return otherBit
        }
    }

    /// Checks `range` (a trimmed, non-empty line or path). `absolute`: the path must start with `/`
    /// (buildinfos.debian.net listings), else it must not (paths relative to a repository).
    /// `classes` is `PoolPath.classes`, passed in so that the hot loop reads a plain pointer.
    @inline(__always)
    static func check(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, absolute: Bool,
        classes: UnsafeBufferPointer<UInt8>
    ) -> Check {
        var mask: UInt8 = 0
        var dotDot = false
        var doubleSlash = false
        // The last three slashes: file name, source directory, prefix directory.
        var slash1 = -1
        var slash2 = -1
        var slash3 = -1
        var previous: UInt8 = 0
        var i = range.lowerBound
        while i < range.upperBound {
            let b = bytes[i]
            mask |= classes[Int(b)]
            if b == UInt8(ascii: "/") {
                if previous == UInt8(ascii: "/") { doubleSlash = true }
                slash3 = slash2
                slash2 = slash1
                slash1 = i
            } else if b == UInt8(ascii: "."), previous == UInt8(ascii: ".") {
                dotDot = true
            }
            previous = b
            i += 1
        }
        if mask & controlBit != 0 { return .rejected("control character in path") }
        if mask & backslashBit != 0 { return .rejected("backslash in path") }
        if mask & percentBit != 0 { return .rejected("percent escape in path") }
        if dotDot { return .rejected("'..' in path") }
        if doubleSlash { return .rejected("empty path component ('//')") }
        if mask & (otherBit | nonASCIIBit) != 0 {
            return .rejected("character outside A-Za-z0-9.+~_- in path")
        }
        let startsWithSlash = bytes[range.lowerBound] == UInt8(ascii: "/")
        if absolute && !startsWithSlash { return .rejected("not an absolute path") }
        if !absolute && startsWithSlash { return .rejected("absolute path where a relative one was expected") }

        let fileName = (slash1 + 1 == 0 ? range.lowerBound : slash1 + 1)..<range.upperBound
        guard fileName.count > suffix.count,
            ByteText.equal(bytes, (fileName.upperBound - suffix.count)..<fileName.upperBound, suffix)
        else { return .rejected("not a .buildinfo file") }
        let stem = fileName.lowerBound..<(fileName.upperBound - suffix.count)

        var underscore1 = -1
        var underscore2 = -1
        var underscores = 0
        i = stem.lowerBound
        while i < stem.upperBound {
            if bytes[i] == UInt8(ascii: "_") {
                underscores += 1
                if underscore1 < 0 { underscore1 = i } else { underscore2 = i }
            }
            i += 1
        }
        guard underscores == 2, underscore1 > stem.lowerBound, underscore2 > underscore1 + 1,
            underscore2 + 1 < stem.upperBound
        else { return .rejected("file name is not <source>_<version>_<arch>.buildinfo") }
        let source = stem.lowerBound..<underscore1
        let version = (underscore1 + 1)..<underscore2
        let architecture = (underscore2 + 1)..<stem.upperBound

        guard ByteText.isPackageName(bytes, source) else {
            return .rejected("source '\(Printable.escaped(bytes, source))' is not a Debian package name")
        }
        if let problem = versionProblem(bytes, version) { return .rejected(problem) }

        // …/<prefix>/<source>/<file>
        let prefixLength = Self.prefixLength(bytes, source)
        let sourceDirectory = slash2 >= 0 ? (slash2 + 1)..<slash1 : range.lowerBound..<range.lowerBound
        let prefixDirectory = slash3 >= 0 ? (slash3 + 1)..<slash2 : range.lowerBound..<range.lowerBound
        guard slash2 >= 0, slash3 >= 0, ByteText.equal(bytes, sourceDirectory, source),
            ByteText.equal(bytes, prefixDirectory, source.lowerBound..<(source.lowerBound + prefixLength))
        else {
            let expected = ByteText.string(bytes, source.lowerBound..<(source.lowerBound + prefixLength))
                + "/" + ByteText.string(bytes, source) + "/"
            return .rejected("directory does not match the source (expected …/\(expected))")
        }
        return .file(PoolPath(
            path: range, fileName: fileName, source: source, version: version, architecture: architecture))
    }

    /// Why `DebianVersion.init(_:)` would refuse a file-name version, without parsing it. The
    /// characters were already limited to `A-Za-z0-9.+~-` (no epoch colon, no space), which
    /// leaves only: empty, empty upstream version (leading `-`), empty revision (trailing `-`).
    static func versionProblem(_ bytes: UnsafeBufferPointer<UInt8>, _ version: Range<Int>) -> String? {
        guard version.isEmpty || bytes[version.lowerBound] == UInt8(ascii: "-")
            || bytes[version.upperBound - 1] == UInt8(ascii: "-")
        else { return nil }
        let text = ByteText.string(bytes, version)
        do {
            _ = try DebianVersion(text)
            return "invalid version '\(Printable.escaped(text))'"
        } catch {
            return "invalid version '\(Printable.escaped(text))': \(error.message)"
        }
    }

    /// The pool directory of a source: its first four characters for `lib*`, else its first
    /// (dak's `poolify`, which buildinfos.debian.net's buildinfo-pool follows too).
    static func prefixLength(_ bytes: UnsafeBufferPointer<UInt8>, _ source: Range<Int>) -> Int {
        if source.count >= 3, bytes[source.lowerBound] == UInt8(ascii: "l"),
            bytes[source.lowerBound + 1] == UInt8(ascii: "i"), bytes[source.lowerBound + 2] == UInt8(ascii: "b")
        {
            return min(4, source.count)
        }
        return 1
    }

    /// `prefixLength` for a source name already known to be a package name (ASCII).
    static func prefix(of source: String) -> String {
        String(source.prefix(source.hasPrefix("lib") ? 4 : 1))
    }
}
