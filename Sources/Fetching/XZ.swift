import CLzma

/// Decoding .xz files held in memory (a mirror's Packages.xz and Sources.xz).
public enum XZ {
    /// Memory liblzma may use to decode: enough for any preset (`xz -9e` needs 65 MiB), not
    /// for a crafted header asking for a dictionary of gigabytes.
    static let memoryLimit: UInt64 = 256 << 20

    /// liblzma's LZMA_CONCATENATED (`UINT32_C(0x08)`, a macro Swift does not import): decode
    /// every stream of a file made by concatenating .xz files, as `xz -d` does.
    private static let concatenated: UInt32 = 0x08

    /// The first bytes of every .xz stream.
    private static let magic: [UInt8] = [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]

    /// Decodes a whole .xz file (every concatenated stream, stream padding allowed).
    ///
    /// The output is capped at `maximumBytes`, as downloads are: a small, valid .xz can expand
    /// to gigabytes. Corrupt or truncated input, input that is not .xz, and output over the
    /// limit throw.
    public static func decompress(_ bytes: [UInt8], maximumBytes: Int, source: String) throws(XZError) -> [UInt8] {
        // liblzma needs a whole 12-byte header to tell other data from a truncated stream.
        guard !bytes.isEmpty else {
            throw XZError(source: source, reason: "no data (an empty file is not an .xz file)")
        }
        guard bytes.starts(with: magic.prefix(bytes.count)) else {
            throw XZError(source: source, reason: describe(LZMA_FORMAT_ERROR))
        }
        var stream = lzma_stream()   // all zero, as LZMA_STREAM_INIT
        let started = lzma_stream_decoder(&stream, memoryLimit, concatenated)
        guard started == LZMA_OK else {
            throw XZError(source: source, reason: "cannot start the xz decoder (\(describe(started)))")
        }
        defer { lzma_end(&stream) }

        let limit = max(0, maximumBytes)
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let finished: lzma_ret = bytes.withUnsafeBufferPointer { input in
            stream.next_in = input.baseAddress
            stream.avail_in = input.count
            while true {
                // Asks for at most one byte past the limit: enough to know it is exceeded.
                let room = min(chunk.count, limit - output.count + 1)
                let result: lzma_ret = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = room
                    return lzma_code(&stream, LZMA_FINISH)
                }
                output.append(contentsOf: chunk[0..<(room - stream.avail_out)])
                if output.count > limit || result != LZMA_OK {
                    return result
                }
            }
        }
        if output.count > limit {
            throw XZError(source: source, reason: "decompressed data larger than the limit of \(limit) bytes")
        }
        guard finished == LZMA_STREAM_END else {
            throw XZError(source: source, reason: describe(finished))
        }
        return output
    }

    private static func describe(_ result: lzma_ret) -> String {
        switch result {
        case LZMA_FORMAT_ERROR: return "not in the .xz format"
        case LZMA_DATA_ERROR: return "corrupt .xz data"
        case LZMA_BUF_ERROR: return "truncated .xz data (the input ended inside a stream)"
        case LZMA_MEMLIMIT_ERROR: return "decoding needs more than \(memoryLimit >> 20) MiB of memory"
        case LZMA_MEM_ERROR: return "out of memory"
        case LZMA_OPTIONS_ERROR: return "unsupported .xz options"
        case LZMA_UNSUPPORTED_CHECK: return "unsupported integrity check"
        default: return "liblzma error \(result.rawValue)"
        }
    }
}
