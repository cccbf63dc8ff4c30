import Foundation
import Spool

/// Builds a listing names but whose buildinfo is not served yet (404): mirrors and
/// buildinfos.debian.net lag behind the archive. Each is a file `get/unpublished/<ID>` whose
/// mtime is when to ask again and whose content is the number of misses, so the delay doubles
/// without any process remembering it.
struct UnpublishedBuilds {
    let directory: String
    let delay: Double
    let maximumDelay: Double

    init(spool: Spool, delay: Double, maximumDelay: Double) {
        directory = "\(spool.root)/get/unpublished"
        self.delay = delay
        self.maximumDelay = maximumDelay
    }

    /// When the next attempt is due, or nil when nothing is pending for it.
    func due(_ id: TaskID) -> Double? {
        Timestamp.modificationTime(of: path(id))
    }

    /// Records one more miss; returns when the next attempt is due.
    func recordMiss(_ id: TaskID, now: Double) throws -> Double {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let misses = (try? String(contentsOfFile: path(id), encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        let next = now + min(maximumDelay, delay * pow(2, Double(min(misses, 30))))
        try "\(misses + 1)\n".write(toFile: path(id), atomically: true, encoding: .utf8)
        var times = [timespec(tv_sec: Int(now), tv_nsec: 0), timespec(tv_sec: Int(next), tv_nsec: Int((next - next.rounded(.down)) * 1e9))]
        guard utimensat(AT_FDCWD, path(id), &times, 0) == 0 else {
            throw GetError(subject: path(id), reason: "cannot set the time of the next attempt: \(String(cString: strerror(errno)))")
        }
        return next
    }

    func clear(_ id: TaskID) {
        unlink(path(id))
    }

    private func path(_ id: TaskID) -> String { "\(directory)/\(id.rawValue)" }
}
