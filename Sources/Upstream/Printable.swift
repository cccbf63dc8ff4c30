import UntrustedText

/// How upstream's text shows in messages: printable ASCII only (`UntrustedText`), so that a
/// bidirectional override or a look-alike letter cannot disguise an entry.
enum Printable {
    static let limit = 200

    static func escaped(_ text: String) -> String {
        UntrustedText.escaped(text, shown: .printableASCII, limit: limit)
    }

    static func escaped(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        UntrustedText.escaped(bytes, range, shown: .printableASCII, limit: limit)
    }
}
