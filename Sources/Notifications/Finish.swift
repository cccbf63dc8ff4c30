import Glibc
import Spool

/// One arrival of a task in a final directory (`uploaded/` or `failed/`): what one notification
/// is about. A finish is known by the directory and the task file's ctime, which the rename into
/// the directory set and which nothing in the pipeline changes afterwards; so a task requeued
/// (`rebuilder retry`) and finished again is a new finish, and a restart finds the same one.
public struct Finish: Hashable, Sendable, CustomStringConvertible {
    public var directory: SpoolDirectory
    public var seconds: Int
    public var nanoseconds: Int

    public init(directory: SpoolDirectory, seconds: Int, nanoseconds: Int) {
        self.directory = directory
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// The directories whose tasks are finished.
    public static let directories: [SpoolDirectory] = SpoolDirectory.allCases.filter(\.isTerminal)

    /// `uploaded-1764922334.123456789`: the finish's name in `records/<ID>/notify/`.
    public var key: String {
        let fraction = String(nanoseconds)
        return "\(directory.rawValue)-\(seconds).\(String(repeating: "0", count: max(0, 9 - fraction.count)))\(fraction)"
    }

    public var time: Double { Double(seconds) + Double(nanoseconds) / 1e9 }

    public var description: String { key }

    /// The finish of the entry `name` in `directory`, from its lstat: nil when it is gone (moved
    /// on, or requeued) or is not a regular file.
    public static func of(_ name: String, in directory: SpoolDirectory, spool: Spool) -> Finish? {
        var info = stat()
        guard lstat(spool.path(directory, name), &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Finish(directory: directory, seconds: Int(info.st_ctim.tv_sec), nanoseconds: Int(info.st_ctim.tv_nsec))
    }
}
