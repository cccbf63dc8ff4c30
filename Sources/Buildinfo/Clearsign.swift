/// The signature part of an OpenPGP cleartext-signed file (RFC 4880 §7).
public struct CleartextSignature: Sendable, Equatable {
    /// The values of the `Hash:` armor headers, as written, joined with ", " (`"SHA512"`);
    /// nil if there was none (RFC 4880 then means MD5).
    public var hashHeader: String?
    /// The algorithms named by the `Hash:` headers, in order (`["SHA512"]`).
    public var hashAlgorithms: [String]
    /// The signed text as it reads: dash-escaping removed, LF line endings, trailing white space
    /// kept, and without the line break that precedes `-----BEGIN PGP SIGNATURE-----` (RFC 4880 §7.1).
    /// To verify `armoredSignature` as a detached signature (GPGME `gpgme_op_verify(ctx, sig,
    /// signed_text, NULL)`, `gpgv sig text`) pass `canonicalSignedText`: GnuPG does not strip
    /// trailing white space from detached text, so this text fails when a line ends in blanks.
    public var signedText: [UInt8]
    /// The line of the file where the signed text starts.
    public var signedTextLine: Int
    /// From `-----BEGIN PGP SIGNATURE-----` to `-----END PGP SIGNATURE-----`, each line ending in LF.
    public var armoredSignature: String

    public init(
        hashHeader: String?, hashAlgorithms: [String], signedText: [UInt8], signedTextLine: Int,
        armoredSignature: String
    ) {
        self.hashHeader = hashHeader
        self.hashAlgorithms = hashAlgorithms
        self.signedText = signedText
        self.signedTextLine = signedTextLine
        self.armoredSignature = armoredSignature
    }

    /// The bytes the signature's hash covers (RFC 4880 §7.1): trailing spaces and tabs removed
    /// from every line, lines joined with CRLF, no final line break.
    public var canonicalSignedText: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(signedText.count + signedText.count / 32)
        var first = true
        for range in TextScan.Lines(signedText) {
            if !first { out += [TextScan.cr, TextScan.lf] }
            first = false
            out += signedText[TextScan.trimmingTrailingBlanks(signedText, range)]
        }
        // `Lines` does not report an empty line after a final LF; the signed text can end in one.
        if signedText.last == TextScan.lf { out += [TextScan.cr, TextScan.lf] }
        return out
    }
}

/// A file split into the text to read and, if it was cleartext-signed, its signature.
public struct ClearsignedMessage: Sendable, Equatable {
    /// The text to parse: the signed text followed by a final LF for a signed file, the whole
    /// file for an unsigned one.
    public var text: [UInt8]
    /// The line of the file where `text` starts (1 for unsigned files).
    public var firstLine: Int
    /// nil for an unsigned file.
    public var signature: CleartextSignature?

    public init(text: [UInt8], firstLine: Int, signature: CleartextSignature?) {
        self.text = text
        self.firstLine = firstLine
        self.signature = signature
    }

    static let beginMessage = Array("-----BEGIN PGP SIGNED MESSAGE-----".utf8)
    static let beginSignature = Array("-----BEGIN PGP SIGNATURE-----".utf8)
    static let endSignature = Array("-----END PGP SIGNATURE-----".utf8)
    static let armorPrefix = Array("-----BEGIN PGP ".utf8)
    static let knownHashes: Set<String> = [
        "MD5", "SHA1", "RIPEMD160", "SHA224", "SHA256", "SHA384", "SHA512", "SHA3-256", "SHA3-512",
    ]

    /// Splits `bytes`. A file whose first line is `-----BEGIN PGP SIGNED MESSAGE-----` must be a
    /// complete cleartext signature: `Hash:` headers (the only armor header GnuPG accepts there),
    /// an empty line, dash-escaped text, and a signature block up to `-----END PGP SIGNATURE-----`
    /// followed by nothing but empty lines. Any other file is unsigned and passes through, unless
    /// a line of it starts with `-----BEGIN PGP ` (armor out of place). The bytes must be UTF-8
    /// without NUL or CR (see `TextScan`). The signature itself is not verified here.
    public static func split(_ bytes: [UInt8], path: String) throws(BuildinfoError) -> ClearsignedMessage {
        try TextScan.validate(bytes, path: path)
        var lines = TextScan.Lines(bytes)
        guard let first = lines.next() else {
            return ClearsignedMessage(text: bytes, firstLine: 1, signature: nil)
        }
        let firstTrimmed = TextScan.trimmingTrailingBlanks(bytes, first)
        guard bytes[firstTrimmed].elementsEqual(beginMessage) else {
            var number = 0
            var line: Range<Int>? = first
            while let range = line {
                number += 1
                if bytes[range].starts(with: armorPrefix) {
                    let shown = Excerpt.quoted(TextScan.string(bytes, TextScan.trimmingTrailingBlanks(bytes, range)))
                    throw BuildinfoError(
                        path: path, line: number,
                        message: number == 1
                            ? "unsupported OpenPGP armor \(shown), expected '-----BEGIN PGP SIGNED MESSAGE-----'"
                            : "OpenPGP armor \(shown) in an unsigned file (a signed file starts with '-----BEGIN PGP SIGNED MESSAGE-----' on line 1)")
                }
                line = lines.next()
            }
            return ClearsignedMessage(text: bytes, firstLine: 1, signature: nil)
        }
        return try splitSigned(bytes, lines: &lines, path: path)
    }

    private enum State {
        case headers, text, signatureHeaders, signatureBody, checksum, after
    }

    private static func splitSigned(
        _ bytes: [UInt8], lines: inout TextScan.Lines, path: String
    ) throws(BuildinfoError) -> ClearsignedMessage {
        var state = State.headers
        var number = 1
        var hashValues: [String] = []
        var algorithms: [String] = []
        var textLine = 0
        var textLineCount = 0
        var signedText: [UInt8] = []
        var armor = ""
        var signatureLine = 0
        var bodyLines = 0

        func fail(_ message: String) -> BuildinfoError {
            BuildinfoError(path: path, line: number, message: message)
        }

        while let range = lines.next() {
            number += 1
            let trimmed = TextScan.trimmingTrailingBlanks(bytes, range)
            let line = bytes[trimmed]
            switch state {
            case .headers:
                if line.isEmpty {
                    state = .text
                    textLine = number + 1
                } else if line.starts(with: Array("Hash:".utf8)) {
                    let value = TextScan.string(bytes, TextScan.trimmingLeadingBlanks(bytes, (trimmed.lowerBound + 5)..<trimmed.upperBound))
                    let names = value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingBlanks() }
                    guard !names.isEmpty, !names.contains(where: \.isEmpty) else {
                        throw fail("empty hash algorithm name in 'Hash' armor header \(Excerpt.quoted(value))")
                    }
                    for name in names where !knownHashes.contains(name) {
                        throw fail("unknown hash algorithm \(Excerpt.quoted(name)) in 'Hash' armor header")
                    }
                    hashValues.append(value)
                    algorithms += names
                } else {
                    throw fail(
                        "expected a 'Hash:' armor header or an empty line after '-----BEGIN PGP SIGNED MESSAGE-----', got "
                            + Excerpt.quoted(TextScan.string(bytes, trimmed)))
                }
            case .text:
                if line.elementsEqual(beginSignature) {
                    state = .signatureHeaders
                    signatureLine = number
                    armor = TextScan.string(bytes, range) + "\n"
                    continue
                }
                var content = range
                if bytes[range].first == UInt8(ascii: "-") {
                    guard bytes[range].starts(with: [UInt8(ascii: "-"), TextScan.space]) else {
                        throw fail(
                            "line starting with '-' is not dash-escaped: "
                                + Excerpt.quoted(TextScan.string(bytes, trimmed)))
                    }
                    content = (range.lowerBound + 2)..<range.upperBound
                }
                if textLineCount > 0 { signedText.append(TextScan.lf) }
                signedText += bytes[content]
                textLineCount += 1
            case .signatureHeaders:
                armor += TextScan.string(bytes, range) + "\n"
                if line.isEmpty {
                    state = .signatureBody
                } else if !isArmorHeader(line) {
                    throw fail(
                        "expected an armor header or an empty line after '-----BEGIN PGP SIGNATURE-----' (line \(signatureLine)), got "
                            + Excerpt.quoted(TextScan.string(bytes, trimmed)))
                }
            case .signatureBody, .checksum:
                armor += TextScan.string(bytes, range) + "\n"
                if line.elementsEqual(endSignature) {
                    guard bodyLines > 0 else { throw fail("empty OpenPGP signature") }
                    state = .after
                } else if state == .checksum {
                    throw fail("expected '-----END PGP SIGNATURE-----' after the armor checksum, got "
                        + Excerpt.quoted(TextScan.string(bytes, trimmed)))
                } else if line.first == UInt8(ascii: "=") {
                    guard line.count == 5, line.dropFirst().allSatisfy(isBase64) else {
                        throw fail("invalid armor checksum line " + Excerpt.quoted(TextScan.string(bytes, trimmed)))
                    }
                    state = .checksum
                } else if line.isEmpty || !line.allSatisfy({ isBase64($0) || $0 == UInt8(ascii: "=") }) {
                    throw fail("invalid line in OpenPGP signature: " + Excerpt.quoted(TextScan.string(bytes, trimmed)))
                } else {
                    bodyLines += 1
                }
            case .after:
                if !line.isEmpty {
                    throw fail("text after '-----END PGP SIGNATURE-----': " + Excerpt.quoted(TextScan.string(bytes, trimmed)))
                }
            }
        }

        switch state {
        case .headers:
            throw fail("end of file in the armor headers of the signed message (expected an empty line after them)")
        case .text:
            throw fail("end of file in the signed text: no '-----BEGIN PGP SIGNATURE-----'")
        case .signatureHeaders, .signatureBody, .checksum:
            throw fail("end of file in the OpenPGP signature started at line \(signatureLine): no '-----END PGP SIGNATURE-----'")
        case .after:
            break
        }

        let signature = CleartextSignature(
            hashHeader: hashValues.isEmpty ? nil : hashValues.joined(separator: ", "),
            hashAlgorithms: algorithms,
            signedText: signedText,
            signedTextLine: textLine,
            armoredSignature: armor)
        let text = textLineCount > 0 ? signedText + [TextScan.lf] : []
        return ClearsignedMessage(text: text, firstLine: textLine, signature: signature)
    }

    private static func isBase64(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }

    /// `Key: value` with a key of printable ASCII other than ':'.
    private static func isArmorHeader(_ line: ArraySlice<UInt8>) -> Bool {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else { return false }
        guard line[line.startIndex..<colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return false }
        let after = line.index(after: colon)
        return after == line.endIndex || line[after] == TextScan.space
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    func trimmingBlanks() -> String {
        var s = self[...]
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
