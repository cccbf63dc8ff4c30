import Crypto
import Hexadecimal
import Glibc

/// SHA-256 and size of a file, read in large blocks so hashing runs at the digest's own speed.
public struct FileDigest: Sendable, Equatable {
    public var sha256: String
    public var size: Int

    public static let blockSize = 1 << 20

    /// nil when the file does not exist; throws for any other failure to read it.
    public static func of(path: String) throws -> FileDigest? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw RebuildError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var hasher = SHA256()
        var size = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = read(fd, buffer.baseAddress, blockSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw RebuildError("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            size += count
        }
        return FileDigest(sha256: Hex.lowercase(hasher.finalize()), size: size)
    }
}

public struct RebuildError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
