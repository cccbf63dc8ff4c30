import Foundation
import Glibc

struct WorkAreaError: Error, CustomStringConvertible {
    var description: String
}

/// The bench's own directory: made fresh with mkdtemp inside the chosen parent, one subdirectory
/// per run, and removed at the end (only what the bench made is ever removed).
final class WorkArea: Sendable {
    let path: String
    let keep: Bool

    init(parent: String, keep: Bool) throws {
        var template = Array("\(parent)/rebuilder-bench.XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else {
            throw WorkAreaError(description: "cannot make a directory in \(parent): \(String(cString: strerror(errno)))")
        }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        self.keep = keep
    }

    /// A new, empty subdirectory.
    func subdirectory(_ name: String) throws -> String {
        let result = "\(path)/\(name)"
        guard mkdir(result, 0o755) == 0 else {
            throw WorkAreaError(description: "mkdir \(result): \(String(cString: strerror(errno)))")
        }
        return result
    }

    /// Removes one of the bench's directories (`rm -rf`, fast even for 300,000 files); returns seconds.
    @discardableResult
    func remove(_ directory: String) -> Double {
        guard !keep, directory.hasPrefix(path) else { return 0 }
        let began = Clock.monotonic()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/rm")
        process.arguments = ["-rf", "--one-file-system", directory]
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            Progress.note("cannot run rm: \(error)")
        }
        return Clock.monotonic() - began
    }

    func removeAll() {
        if keep {
            Progress.note("kept \(path)")
            return
        }
        // After an interrupt the main thread may still add a file or two: try again.
        for _ in 0..<5 where access(path, F_OK) == 0 {
            remove(path)
            if access(path, F_OK) == 0 { Clock.sleep(0.2) }
        }
        if access(path, F_OK) == 0 { Progress.note("could not remove \(path)") }
    }

    /// The filesystem type under the work area (that of the longest mount point holding it), and
    /// for ext3/ext4 whether it has a journal: without one, fsync is cheaper and creating a file
    /// must skip every inode of its group deleted in the last minute or more.
    var filesystemType: String {
        guard let resolved = realpath(path, nil) else { return "unknown" }
        let absolute = String(decoding: UnsafeRawBufferPointer(start: resolved, count: strlen(resolved)), as: UTF8.self)
        free(resolved)
        var best: (point: String, type: String, device: String)?
        for line in (ProcessStatus.readText("/proc/self/mounts") ?? "").split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let point = fields[1].replacingOccurrences(of: "\\040", with: " ")
            let inside = point == "/" || absolute == point || absolute.hasPrefix(point + "/")
            if inside && point.count >= (best?.point.count ?? -1) { best = (point, String(fields[2]), String(fields[0])) }
        }
        guard let best else { return "unknown" }
        guard best.type == "ext4" || best.type == "ext3" else { return best.type }
        let device = best.device.split(separator: "/").last.map(String.init) ?? best.device
        let journals = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/fs/jbd2")) ?? []
        return journals.contains { $0.hasPrefix(device + "-") } ? "\(best.type) (journal)" : "\(best.type) (no journal)"
    }
}
