import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Replaces files so that readers (the web server, node_exporter, rsync) see either the old
/// content or the new, never a partial file: write a temporary file in the same directory,
/// fsync it, rename it over the target, then fsync the directory so the rename survives a crash.
enum AtomicFile {
    /// Temporary names start with a dot and end with `.tmp`, which no published name does,
    /// so they can never be mistaken for results.
    static func write(_ content: [UInt8], to path: String) throws(ResultsError) {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = "\(directory)/.\(name).\(UInt32.random(in: .min ... .max)).tmp"

        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(temporary, "open") }
        do throws(ResultsError) {
            try writeAll(content, to: descriptor, path: temporary)
            guard fsync(descriptor) == 0 else { throw failure(temporary, "fsync") }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        // Linux releases the descriptor even when close reports an error (a late write error).
        guard close(descriptor) == 0 else {
            let error = failure(temporary, "close")
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure(path, "rename")
            unlink(temporary)
            throw error
        }
        try syncDirectory(directory)
    }

    /// Creates `path` (and its parents) if missing.
    static func makeDirectory(_ path: String) throws(ResultsError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .file(path: path, operation: "mkdir", reason: "\(error.localizedDescription)")
        }
    }

    private static func writeAll(_ content: [UInt8], to descriptor: Int32, path: String) throws(ResultsError) {
        var offset = 0
        while offset < content.count {
            let written = content[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure(path, "write")
            }
            offset += written
        }
    }

    private static func syncDirectory(_ directory: String) throws(ResultsError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(directory, "open") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure(directory, "fsync") }
    }

    private static func failure(_ path: String, _ operation: String) -> ResultsError {
        .file(path: path, operation: operation, reason: String(cString: strerror(errno)))
    }
}
