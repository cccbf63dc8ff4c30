import Buildinfo
import OpenPGP

/// A command file's outer checks, all made before gpg sees it: a size limit, printable ASCII
/// only, one complete clearsigned message with nothing outside it, and exactly one signature
/// packet made with SHA-256 or stronger. What passes is the signed text and its signature.
public struct CommandEnvelope: Sendable {
    public var signature: CleartextSignature
    /// The signed text with LF line endings, as the command parser reads it.
    public var text: String

    public init(_ bytes: [UInt8], path: String, maximumBytes: Int) throws(CommandRefusal) {
        guard bytes.count <= maximumBytes else {
            throw CommandRefusal("\(bytes.count) bytes, over the limit of \(maximumBytes) ([commands] max-size)")
        }
        if let offset = bytes.firstIndex(where: { $0 != 0x0A && !(0x20...0x7E).contains($0) }) {
            throw CommandRefusal("byte 0x\(String(bytes[offset], radix: 16)) at offset \(offset) is not printable ASCII")
        }
        let message: ClearsignedMessage
        do {
            message = try ClearsignedMessage.split(bytes, path: path)
        } catch {
            throw CommandRefusal("not one clearsigned message and nothing else: line \(error.line ?? 0): \(error.message)")
        }
        guard let signature = message.signature else {
            throw CommandRefusal("not signed: a command is a clearsigned message ('-----BEGIN PGP SIGNED MESSAGE-----' on its first line)")
        }
        let packets: [SignaturePacket]
        do {
            packets = try ArmoredSignature.packets(signature.armoredSignature)
        } catch {
            throw CommandRefusal(error.message)
        }
        guard packets.count == 1, let packet = packets.first else {
            throw CommandRefusal("\(packets.count) signatures; exactly one is accepted")
        }
        guard ArmoredSignature.isStrongHash(packet.hashAlgorithm) else {
            throw CommandRefusal("signed with \(ArmoredSignature.hashName(packet.hashAlgorithm)); SHA-256 or stronger is required")
        }
        self.signature = signature
        text = String(decoding: message.text, as: UTF8.self)
    }
}
