/// Reads the lines `rsync --list-only` prints, e.g.
/// `-rw-r--r--         11,392 2020/12/23 14:57:05 deb/r4.1/vm/pool/main/d/dnf/dnf_4.5.2-1+deb11u1_amd64.buildinfo`:
/// permissions, size with thousands separators, date, time, then the name, which is everything
/// after the time (names with spaces survive).
struct RsyncListingParser {
    let url: String

    func parse(_ output: String) throws(RsyncError) -> [RsyncEntry] {
        var entries: [RsyncEntry] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let entry = entry(line) else {
                let shown = line.count > 300 ? line.prefix(300) + "..." : line
                throw RsyncError(url: url, reason: "cannot read this line of rsync's listing: \"\(shown)\"")
            }
            // The listed directory itself.
            if entry.path != "." { entries.append(entry) }
        }
        return entries
    }

    private func entry(_ line: Substring) -> RsyncEntry? {
        var rest = line[...]
        guard let mode = Self.token(&rest), mode.count == 10, let type = mode.first, "-dlbcps".contains(type),
              let sizeField = Self.token(&rest), let size = Self.size(sizeField),
              let date = Self.token(&rest), Self.matches(date, "dddd/dd/dd"),
              let time = Self.token(&rest), Self.matches(time, "dd:dd:dd"),
              !rest.isEmpty else {
            return nil
        }
        var name = rest
        // A symbolic link shows as "name -> target".
        if type == "l", let arrow = name.firstRange(of: " -> ") {
            name = name[..<arrow.lowerBound]
        }
        let isDirectory = type == "d"
        return RsyncEntry(path: Self.unescape(name), isDirectory: isDirectory, size: isDirectory ? nil : size)
    }

    /// The next space-separated field, leading spaces skipped. The last field before the name is
    /// followed by exactly one space, which is consumed; the name keeps any further spaces.
    private static func token(_ rest: inout Substring) -> Substring? {
        let start = rest.drop(while: { $0 == " " })
        guard let end = start.firstIndex(of: " ") else { return nil }
        let field = start[..<end]
        rest = start[start.index(after: end)...]
        return field.isEmpty ? nil : field
    }

    /// "11,392" → 11392. rsync groups digits with "," (or "." where the locale's decimal point is ",").
    private static func size(_ field: Substring) -> Int? {
        guard let first = field.first, ("0"..."9").contains(first),
              field.allSatisfy({ ("0"..."9").contains($0) || $0 == "," || $0 == "." }) else { return nil }
        return Int(String(field.filter { $0 != "," && $0 != "." }))
    }

    /// Whether `field` has the shape of `pattern`, where "d" is an ASCII digit.
    private static func matches(_ field: Substring, _ pattern: String) -> Bool {
        field.count == pattern.count && zip(field, pattern).allSatisfy { character, expected in
            expected == "d" ? ("0"..."9").contains(character) : character == expected
        }
    }

    /// rsync prints a byte it will not show (a control character, or "\#" followed by three
    /// digits) as "\#" and three octal digits; this gives the bytes back.
    static func unescape(_ name: Substring) -> String {
        guard name.contains("\\") else { return String(name) }
        let bytes = Array(name.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        func octal(_ byte: UInt8) -> UInt8? { (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(byte) ? byte - UInt8(ascii: "0") : nil }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\"), index + 4 < bytes.count, bytes[index + 1] == UInt8(ascii: "#"),
               let a = octal(bytes[index + 2]), let b = octal(bytes[index + 3]), let c = octal(bytes[index + 4]), a <= 3 {
                decoded.append(a << 6 | b << 3 | c)
                index += 5
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }
}
