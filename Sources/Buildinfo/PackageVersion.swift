/// An entry of `Installed-Build-Depends`: `name[:architecture] (= version)`.
public struct PackageVersion: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var architecture: String?
    public var version: DebianVersion

    public init(name: String, architecture: String? = nil, version: DebianVersion) {
        self.name = name
        self.architecture = architecture
        self.version = version
    }

    /// `name[:architecture] (= version)`, as dpkg-genbuildinfo writes it.
    public var description: String {
        (architecture.map { "\(name):\($0)" } ?? name) + " (= \(version))"
    }
}

extension PackageVersion {
    /// Parses a comma-separated list of `name[:arch] (= version)` whose items may span lines.
    /// Messages say "entry k" for the k-th item; the error's line is the line the item starts on.
    static func parseList(_ field: Deb822Field, reader: FieldReader) throws(BuildinfoError) -> [PackageVersion] {
        // The value's lines joined with spaces; `starts` maps byte offsets back to lines.
        var text: [UInt8] = []
        var starts: [(offset: Int, line: Int)] = []
        for line in field.lines {
            starts.append((text.count, line.line))
            text += line.text.utf8
            text.append(TextScan.space)
        }
        if text.allSatisfy({ $0 == TextScan.space || $0 == TextScan.tab }) { return [] }

        var result: [PackageVersion] = []
        var itemStart = 0
        var k = 0
        var lineIndex = 0  // into `starts`, advanced monotonically for linear time
        while itemStart <= text.count {
            var itemEnd = itemStart
            while itemEnd < text.count && text[itemEnd] != UInt8(ascii: ",") { itemEnd += 1 }
            k += 1
            let item = TextScan.trimmingTrailingBlanks(text, TextScan.trimmingLeadingBlanks(text, itemStart..<itemEnd))
            while lineIndex + 1 < starts.count && starts[lineIndex + 1].offset <= item.lowerBound { lineIndex += 1 }
            let line = starts[lineIndex].line
            do throws(PackageVersionError) {
                result.append(try parseItem(text[item]))
            } catch {
                throw reader.error(field.name, line: line, "entry \(k): \(error.message)")
            }
            itemStart = itemEnd + 1
        }
        return result
    }

    struct PackageVersionError: Error {
        var message: String
    }

    /// `name[:arch] (= version)` with optional blanks around the parentheses and the `=`.
    static func parseItem(_ item: ArraySlice<UInt8>) throws(PackageVersionError) -> PackageVersion {
        func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
        func expected() -> PackageVersionError {
            PackageVersionError(message: "expected '<package>[:<arch>] (= <version>)', got \(Excerpt.quoted(text(item)))")
        }
        func isBlank(_ c: UInt8) -> Bool { c == TextScan.space || c == TextScan.tab }
        if item.isEmpty { throw PackageVersionError(message: "empty entry") }
        var i = item.startIndex
        func skipBlanks() { while i < item.endIndex && isBlank(item[i]) { i += 1 } }
        func scan(until stop: (UInt8) -> Bool) -> ArraySlice<UInt8> {
            let start = i
            while i < item.endIndex && !stop(item[i]) { i += 1 }
            return item[start..<i]
        }
        let name = text(scan { isBlank($0) || $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: ":") })
        guard Names.isPackageName(name) else {
            throw PackageVersionError(message: "invalid package name \(Excerpt.quoted(name)) in \(Excerpt.quoted(text(item)))")
        }
        var architecture: String?
        if i < item.endIndex && item[i] == UInt8(ascii: ":") {
            i += 1
            let arch = text(scan { isBlank($0) || $0 == UInt8(ascii: "(") })
            guard Names.isArchitecture(arch) else {
                throw PackageVersionError(message: "invalid architecture \(Excerpt.quoted(arch)) in \(Excerpt.quoted(text(item)))")
            }
            architecture = arch
        }
        skipBlanks()
        guard i < item.endIndex && item[i] == UInt8(ascii: "(") else { throw expected() }
        i += 1
        skipBlanks()
        guard i < item.endIndex && item[i] == UInt8(ascii: "=") else { throw expected() }
        i += 1
        skipBlanks()
        let versionText = scan { isBlank($0) || $0 == UInt8(ascii: ")") }
        skipBlanks()
        guard !versionText.isEmpty, i < item.endIndex, item[i] == UInt8(ascii: ")"), i + 1 == item.endIndex else {
            throw expected()
        }
        do throws(DebianVersionError) {
            return PackageVersion(name: name, architecture: architecture, version: try DebianVersion(validating: text(versionText)))
        } catch {
            throw PackageVersionError(message: "\(name): \(error)")
        }
    }
}
