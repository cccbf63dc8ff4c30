/// The signature gpg-agent returns for PKSIGN, a canonical S-expression (`(7:sig-val(3:rsa(1:s384:…)))`,
/// `(7:sig-val(5:eddsa(1:r32:…)(1:s32:…)))`, `(7:sig-val(3:dsa(1:r…)(1:s…)))`), reduced to the values of the
/// signature MPIs in packet order.
struct SignatureValue {
    /// Big-endian values as the agent gave them (leading zero bytes possible).
    var values: [[UInt8]]

    /// `algorithm`: the packet's public-key algorithm (1 RSA, 17 DSA, 22 EdDSA).
    init(parsing bytes: [UInt8], algorithm: UInt8) throws(OpenPGPError) {
        var parser = Parser(bytes: bytes)
        let tree = try parser.list()
        guard parser.offset == bytes.count else { throw Parser.error("\(bytes.count - parser.offset) bytes follow it") }
        guard tree.count == 2, case .atom(let tag) = tree[0], tag == Array("sig-val".utf8),
            case .list(let algorithmList) = tree[1], case .atom(let name)? = algorithmList.first
        else { throw Parser.error("it is not a (sig-val (algorithm …)) list") }
        let expected: (name: String, parameters: [String])
        switch algorithm {
        case 1: expected = ("rsa", ["s"])
        case 17: expected = ("dsa", ["r", "s"])
        default: expected = ("eddsa", ["r", "s"])
        }
        guard String(decoding: name, as: UTF8.self) == expected.name else {
            throw Parser.error("algorithm '\(String(decoding: name, as: UTF8.self))', expected '\(expected.name)'")
        }
        var parameters: [String: [UInt8]] = [:]
        for case .list(let pair) in algorithmList.dropFirst() {
            if pair.count == 2, case .atom(let key) = pair[0], case .atom(let value) = pair[1] {
                parameters[String(decoding: key, as: UTF8.self)] = value
            }
        }
        var values: [[UInt8]] = []
        for parameter in expected.parameters {
            guard let value = parameters[parameter] else { throw Parser.error("no '\(parameter)' value") }
            values.append(value)
        }
        self.values = values
    }

    private enum Node {
        case atom([UInt8])
        case list([Node])
    }

    /// Canonical S-expressions only (`(`, `)`, `<decimal length>:<bytes>`), as the agent sends them.
    private struct Parser {
        let bytes: [UInt8]
        var offset = 0

        static func error(_ problem: String) -> OpenPGPError {
            OpenPGPError(operation: "sign", message: "gpg-agent's signature S-expression is malformed: \(problem)")
        }

        mutating func list() throws(OpenPGPError) -> [Node] {
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "(") else { throw Self.error("no '(' at offset \(offset)") }
            offset += 1
            var nodes: [Node] = []
            while offset < bytes.count {
                switch bytes[offset] {
                case UInt8(ascii: ")"):
                    offset += 1
                    return nodes
                case UInt8(ascii: "("): nodes.append(.list(try list()))
                default: nodes.append(.atom(try atom()))
                }
            }
            throw Self.error("a list is not closed")
        }

        private mutating func atom() throws(OpenPGPError) -> [UInt8] {
            var length = 0
            while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]), length < 1 << 20 {
                length = length * 10 + Int(bytes[offset] - UInt8(ascii: "0"))
                offset += 1
            }
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else {
                throw Self.error("no '<length>:' at offset \(offset)")
            }
            offset += 1
            guard bytes.count - offset >= length else { throw Self.error("an atom of \(length) bytes is truncated") }
            defer { offset += length }
            return Array(bytes[offset..<offset + length])
        }
    }
}
