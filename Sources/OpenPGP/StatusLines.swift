internal import CGPGME

/// The `[GNUPG:]` status lines gpg wrote during one operation (keyword, arguments), collected
/// through GPGME's status callback with the context flag "full-status". GPGME calls the callback
/// on the thread that runs the operation, so the collector needs no lock; it must outlive the
/// operation (`withExtendedLifetime`).
final class StatusLines {
    private(set) var lines: [(keyword: String, arguments: [Substring])] = []

    /// Installs the collector as `context`'s status callback.
    func attach(to context: borrowing GPGMEContext) -> gpgme_error_t {
        let error = gpgme_set_ctx_flag(context.raw, "full-status", "1")
        if error != 0 { return error }
        gpgme_set_status_cb(context.raw, { hook, keyword, arguments in
            guard let hook, let keyword else { return 0 }
            let collector = Unmanaged<StatusLines>.fromOpaque(hook).takeUnretainedValue()
            let text = arguments.map { String(cString: $0) } ?? ""
            collector.lines.append(
                (String(cString: keyword), text.split(separator: " ", omittingEmptySubsequences: true)))
            return 0
        }, Unmanaged.passUnretained(self).toOpaque())
        return 0
    }

    /// The primary key fingerprint of `VALIDSIG` for the signing key `fingerprint` (field 10;
    /// the signing key's own when a primary key signed).
    func primaryFingerprint(ofSigningKey fingerprint: String) -> String? {
        for line in lines where line.keyword == "VALIDSIG" {
            guard let signing = line.arguments.first, signing.uppercased() == fingerprint.uppercased() else { continue }
            return line.arguments.count > 9 ? String(line.arguments[9]).uppercased() : String(signing).uppercased()
        }
        return nil
    }

    /// The primary user ID that `GOODSIG`, `EXPSIG`, `EXPKEYSIG`, `REVKEYSIG` or `BADSIG` gives for
    /// the key whose key ID (or fingerprint) ends like `key`.
    func userID(ofKey key: String) -> String? {
        let wanted = key.uppercased()
        let keywords: Set<String> = ["GOODSIG", "EXPSIG", "EXPKEYSIG", "REVKEYSIG", "BADSIG"]
        for line in lines where keywords.contains(line.keyword) {
            guard let id = line.arguments.first?.uppercased(), !id.isEmpty,
                wanted.hasSuffix(id) || id.hasSuffix(wanted), line.arguments.count > 1
            else { continue }
            return Self.percentDecoded(line.arguments.dropFirst().joined(separator: " "))
        }
        return nil
    }

    /// The expiry times `KEYEXPIRED` reported (seconds since the epoch), without repetitions.
    var keyExpiries: [Int] {
        var seen: [Int] = []
        for line in lines where line.keyword == "KEYEXPIRED" {
            if let value = line.arguments.first.flatMap({ Int($0) }), !seen.contains(value) { seen.append(value) }
        }
        return seen
    }

    /// gpg escapes some bytes of user IDs in status lines as `%XX`.
    static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var input = Array(text.utf8)[...]
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "%"), input.count >= 2,
                let value = UInt8(String(decoding: input.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                input = input.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
