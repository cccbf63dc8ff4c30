import Glibc
import Spool

/// Fills a directory with small task files as fast as possible: no fsync, one open/write/close each.
enum BacklogWriter {
    /// Writes `count` tasks named `scale-0000123_1.0-1_amd64.buildinfo`; returns seconds taken.
    static func write(count: Int, into directory: String) throws -> Double {
        let began = Clock.monotonic()
        var lastNote = began
        for index in 0..<count {
            let path = "\(directory)/\(TaskContent.id("scale", index, width: 7).rawValue)"
            let content = TaskContent.small(index: index)
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw FilesystemError("create", path) }
            let written = content.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
            guard written == content.count else { throw FilesystemError("write", path) }
            if index % 2000 == 1999 {
                try Interrupted.check()
                let now = Clock.monotonic()
                if now - lastNote >= 1 {
                    lastNote = now
                    let rate = Double(index + 1) / (now - began)
                    Progress.note("scale: \(index + 1)/\(count) backlog files written in \(String(format: "%.1f", now - began)) s (\(Int(rate))/s, about \(Int(Double(count - index - 1) / rate)) s to go)")
                }
            }
        }
        return Clock.monotonic() - began
    }
}
