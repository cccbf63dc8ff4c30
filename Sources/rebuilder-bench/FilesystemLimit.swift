import Glibc

struct FilesystemLimitResult: Codable, Sendable {
    var fileBytes: Int
    var deliveries: Int
    var seconds: Double
    var deliveriesPerSecond: Double
    var renames: Int
    var renameSeconds: Double
    var renamesPerSecond: Double
}

struct FilesystemError: Error, CustomStringConvertible {
    var description: String
    init(_ call: String, _ path: String) { description = "\(call) \(path): \(String(cString: strerror(errno)))" }
}

/// What the filesystem allows with nothing of the spool in the way: maildir deliveries made
/// durable one at a time (write in tmp/, fsync, rename into new/, fsync new/), and bare renames.
enum FilesystemLimit {
    static func measure(in directory: String, seconds: Double, content: [UInt8]) throws -> FilesystemLimitResult {
        let temporary = "\(directory)/tmp"
        let inbox = "\(directory)/new"
        for path in [temporary, inbox] where mkdir(path, 0o755) != 0 { throw FilesystemError("mkdir", path) }
        let inboxDescriptor = open(inbox, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard inboxDescriptor >= 0 else { throw FilesystemError("open", inbox) }
        defer { close(inboxDescriptor) }

        var deliveries = 0
        let began = Clock.monotonic()
        var elapsed = 0.0
        while elapsed < seconds {
            let name = "delivery-\(deliveries)"
            let source = "\(temporary)/\(name)"
            let fd = open(source, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw FilesystemError("create", source) }
            let written = content.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == content.count, fsync(fd) == 0 else {
                close(fd)
                throw FilesystemError("write+fsync", source)
            }
            close(fd)
            guard rename(source, "\(inbox)/\(name)") == 0 else { throw FilesystemError("rename", source) }
            guard fsync(inboxDescriptor) == 0 else { throw FilesystemError("fsync", inbox) }
            deliveries += 1
            elapsed = Clock.monotonic() - began
        }

        // Bare renames: one file back and forth between the two directories, for about a second.
        let first = "\(temporary)/renamed", second = "\(inbox)/renamed"
        let fd = open(first, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FilesystemError("create", first) }
        close(fd)
        var renames = 0
        let renameBegan = Clock.monotonic()
        var renameElapsed = 0.0
        while renameElapsed < min(1, seconds) {
            for _ in 0..<500 {
                let (from, to) = renames % 2 == 0 ? (first, second) : (second, first)
                guard rename(from, to) == 0 else { throw FilesystemError("rename", from) }
                renames += 1
            }
            renameElapsed = Clock.monotonic() - renameBegan
        }
        return FilesystemLimitResult(fileBytes: content.count, deliveries: deliveries, seconds: elapsed,
                                     deliveriesPerSecond: Double(deliveries) / elapsed, renames: renames,
                                     renameSeconds: renameElapsed, renamesPerSecond: Double(renames) / renameElapsed)
    }
}
