import FileSystem
import Glibc

/// `holds/<name>`: names whose tasks wait in the inbox until the hold is released. A hold is a
/// file, so `ls holds/` shows what is held and `cat` says who held it and why. The spool does not
/// know what a name means; the commands stage holds Debian source names and the build stage
/// postpones the tasks of a held source.
public struct Holds: Sendable {
    public let directory: String

    public init(spool: Spool) { directory = "\(spool.root)/holds" }

    /// Why `name` is held (the hold file's first line), or nil when it is not.
    public func reason(for name: String) -> String? {
        guard Self.isUsable(name), let bytes = try? SystemCalls.readSmallFile("\(directory)/\(name)", limit: 4096) else { return nil }
        let line = String(decoding: bytes.prefix { $0 != 0x0A }, as: UTF8.self)
        return line.isEmpty ? "held" : line
    }

    public func hold(_ name: String, reason: String) throws {
        guard Self.isUsable(name) else { throw SpoolError("hold", path: directory, reason: "'\(name)' cannot be a hold's name") }
        _ = try SystemCalls.makeDirectory(directory)
        try AtomicFile.write(Array((reason + "\n").utf8), to: "\(directory)/\(name)", durability: .fileAndDirectory)
    }

    /// Whether there was a hold to release.
    @discardableResult
    public func release(_ name: String) throws -> Bool {
        guard Self.isUsable(name) else { return false }
        let path = "\(directory)/\(name)"
        guard unlink(path) == 0 else {
            if errno == ENOENT { return false }
            throw SpoolError("release", path: path, errno: errno)
        }
        try SystemCalls.syncDirectory(directory)
        return true
    }

    /// One file name, not hidden (temporary files are).
    static func isUsable(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && name.utf8.count <= 255 && !name.utf8.contains(0)
    }
}
