import Hexadecimal
/// Reads the fields of OpenPGP packets (RFC 4880 4.2, 3.2, 5.2.3.1) from bytes, checking every bound, so that
/// malformed input gives an error naming the field instead of a crash.
struct PacketReader {
    private let bytes: [UInt8]
    private(set) var offset: Int
    private let end: Int
    /// For error messages: "parse signature packet", "the signature packet".
    private let operation: String
    private let what: String

    init(_ bytes: [UInt8], operation: String, what: String) {
        self.init(bytes, from: 0, to: bytes.count, operation: operation, what: what)
    }

    private init(_ bytes: [UInt8], from offset: Int, to end: Int, operation: String, what: String) {
        self.bytes = bytes
        self.offset = offset
        self.end = end
        self.operation = operation
        self.what = what
    }

    var isAtEnd: Bool { offset == end }
    var remaining: Int { end - offset }
    /// The bytes not read yet, without consuming them.
    var unread: ArraySlice<UInt8> { bytes[offset..<end] }

    func error(_ message: String) -> OpenPGPError {
        OpenPGPError(operation: operation, message: "\(what) is malformed: \(message)")
    }

    mutating func byte(_ field: String) throws(OpenPGPError) -> UInt8 {
        try take(1, field)[0]
    }

    mutating func take(_ count: Int, _ field: String) throws(OpenPGPError) -> [UInt8] {
        guard count >= 0, end - offset >= count else {
            throw error("truncated in the \(field) (\(count) bytes needed at offset \(offset), \(remaining) left)")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// A big-endian unsigned integer of `count` bytes (at most 4).
    mutating func integer(_ count: Int, _ field: String) throws(OpenPGPError) -> Int {
        try take(count, field).reduce(0) { $0 << 8 | Int($1) }
    }

    /// An MPI's value bytes, without its 2-byte bit count.
    mutating func mpi(_ field: String) throws(OpenPGPError) -> [UInt8] {
        let bits = try integer(2, "bit count of \(field)")
        return try take((bits + 7) / 8, field)
    }

    /// The next packet: its tag and a reader over exactly its body. Old-format headers (tag in bits 5-2, length
    /// type in bits 1-0) and new-format headers (tag in bits 5-0); indeterminate and partial lengths are refused,
    /// GnuPG uses neither for keys or detached signatures.
    mutating func packet() throws(OpenPGPError) -> (tag: UInt8, body: PacketReader) {
        let header = try byte("packet header")
        guard header & 0x80 != 0 else {
            throw error("0x\(Hex.lowercase([header])) at offset \(offset - 1) is not an OpenPGP packet header")
        }
        let tag: UInt8
        let length: Int
        if header & 0x40 == 0 {
            tag = (header >> 2) & 0x0F
            switch header & 0x03 {
            case 0: length = try integer(1, "packet length")
            case 1: length = try integer(2, "packet length")
            case 2: length = try integer(4, "packet length")
            default: throw error("packets of indeterminate length are not supported")
            }
        } else {
            tag = header & 0x3F
            let first = try integer(1, "packet length")
            switch first {
            case 0..<192: length = first
            case 192..<224: length = (first - 192) << 8 + (try integer(1, "packet length")) + 192
            case 255: length = try integer(4, "packet length")
            default: throw error("partial body lengths are not supported")
            }
        }
        guard end - offset >= length else {
            throw error("packet body of \(length) bytes at offset \(offset) is truncated (\(remaining) left)")
        }
        let body = PacketReader(bytes, from: offset, to: offset + length, operation: operation, what: what)
        offset += length
        return (tag, body)
    }

    /// Signature subpackets (RFC 4880 5.2.3.1) in an area of `length` bytes: type without the critical bit,
    /// payload.
    mutating func subpackets(_ length: Int, _ field: String) throws(OpenPGPError) -> [(type: UInt8, payload: [UInt8])] {
        var area = PacketReader(try take(length, field), operation: operation, what: what)
        var found: [(type: UInt8, payload: [UInt8])] = []
        while !area.isAtEnd {
            let first = try area.integer(1, "subpacket length in the \(field)")
            let size: Int
            switch first {
            case 0..<192: size = first
            case 192..<255: size = (first - 192) << 8 + (try area.integer(1, "subpacket length in the \(field)")) + 192
            default: size = try area.integer(4, "subpacket length in the \(field)")
            }
            guard size >= 1 else { throw error("empty subpacket in the \(field)") }
            let type = try area.byte("subpacket type in the \(field)") & 0x7F
            found.append((type, try area.take(size - 1, "subpacket in the \(field)")))
        }
        return found
    }
}
