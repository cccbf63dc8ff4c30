import Crypto
import Glibc
import Hexadecimal

/// SHA-256 and size of a file, read in large blocks so hashing runs at the digest's own speed and
/// a file of any size costs one block of memory: the one file hasher (artifacts, in-toto
/// inspections, kept logs).
public struct FileDigest: Sendable, Equatable {
    public var sha256: String
    public var size: Int

    public init(sha256: String, size: Int) {
        self.sha256 = sha256
        self.size = size
    }

    public static let blockSize = 1 << 20

    /// nil when the file does not exist; throws for any other failure to read it. A symbolic link
    /// is not followed.
    public static func of(path: String) throws(FileSystemError) -> FileDigest? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw FileSystemError.lastError("open", path: path)
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
                throw FileSystemError.lastError("read", path: path)
            }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            size += count
        }
        return FileDigest(sha256: Hex.lowercase(hasher.finalize()), size: size)
    }
}
