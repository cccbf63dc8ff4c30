import Foundation

/// The signature packets of an ASCII-armored signature block (RFC 4880 §6): read without gpg, so
/// that what a signer sent (how many signatures, which hash) can be judged before anything is
/// verified.
public enum ArmoredSignature {
    /// `armored`: from `-----BEGIN PGP SIGNATURE-----` to `-----END PGP SIGNATURE-----`. Every
    /// packet in it must be a signature packet this module can parse (v4; RSA, DSA or EdDSA).
    public static func packets(_ armored: String) throws(OpenPGPError) -> [SignaturePacket] {
        let operation = "read armored signature"
        let lines = armored.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let begin = lines.firstIndex(of: "-----BEGIN PGP SIGNATURE-----"),
              let end = lines.firstIndex(of: "-----END PGP SIGNATURE-----"), begin < end else {
            throw OpenPGPError(operation: operation, message: "no '-----BEGIN PGP SIGNATURE-----' ... '-----END PGP SIGNATURE-----' block")
        }
        // Armor headers ("Version: ...", "Comment: ...") end at the first empty line.
        guard let blank = lines[(begin + 1)..<end].firstIndex(where: { $0.isEmpty }) else {
            throw OpenPGPError(operation: operation, message: "no empty line after the armor headers")
        }
        let body = lines[(blank + 1)..<end].filter { !$0.hasPrefix("=") }.joined()
        guard let decoded = Data(base64Encoded: body) else {
            throw OpenPGPError(operation: operation, message: "the armored block is not base64")
        }
        let bytes = Array(decoded)
        var reader = PacketReader(bytes, operation: operation, what: "the armored signature")
        var packets: [SignaturePacket] = []
        while !reader.isAtEnd {
            let start = reader.offset
            _ = try reader.packet()
            packets.append(try SignaturePacket(parsing: Array(bytes[start..<reader.offset])))
        }
        guard !packets.isEmpty else { throw OpenPGPError(operation: operation, message: "the armored block holds no packet") }
        return packets
    }

    /// RFC 4880 §9.4 hash algorithm numbers and names, for messages.
    public static func hashName(_ algorithm: UInt8) -> String {
        switch algorithm {
        case 1: "MD5"
        case 2: "SHA-1"
        case 3: "RIPEMD-160"
        case 8: "SHA-256"
        case 9: "SHA-384"
        case 10: "SHA-512"
        case 11: "SHA-224"
        case 12: "SHA3-256"
        case 14: "SHA3-512"
        default: "hash algorithm \(algorithm)"
        }
    }

    /// SHA-256 or stronger: SHA-256, SHA-384, SHA-512, SHA3-256, SHA3-512.
    public static func isStrongHash(_ algorithm: UInt8) -> Bool { [8, 9, 10, 12, 14].contains(algorithm) }
}
