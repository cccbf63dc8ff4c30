import CInotifyTools
import Glibc
import Synchronization

/// What the watcher saw in the inbox.
public enum WatchEvent: Sendable, Equatable {
    /// An entry was renamed in, or a file written in place was closed: worth a claim attempt.
    case arrived(name: [UInt8])
    /// The kernel dropped events: only a rescan can tell what arrived.
    case overflow
}

public struct WatchError: Error, CustomStringConvertible, Sendable {
    public var directory: String
    public var reason: String
    public var description: String { "watch \(directory): \(reason)" }
}

/// Watches one inbox directory through libinotifytools, or several directories whose arrivals
/// one daemon handles alike (the notifier's `uploaded/` and `failed/`): an event names the entry,
/// not the directory it arrived in.
///
/// libinotifytools is a process-wide singleton (one inotify descriptor, static event storage) and
/// not thread-safe, so a process has at most one watcher and it runs on one dedicated thread.
/// Events only ever hint: the stage also rescans, because inotify says nothing about changes made
/// by other hosts on a network filesystem and drops events when its queue overflows.
public final class InboxWatcher: Sendable {
    public let directories: [String]
    public var directory: String { directories.joined(separator: ", ") }
    private static let taken = Atomic<Bool>(false)

    public convenience init(directory: String) throws {
        try self.init(directories: [directory])
    }

    public init(directories: [String]) throws {
        let shown = directories.joined(separator: ", ")
        guard InboxWatcher.taken.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            throw WatchError(directory: shown, reason: "this process already has an inbox watcher (libinotifytools is a singleton)")
        }
        self.directories = directories
        guard inotifytools_initialize() != 0 else {
            throw WatchError(directory: shown, reason: "inotify: \(errorText(inotifytools_error()))")
        }
        let events = Int32(IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF)
        for directory in directories {
            guard inotifytools_watch_file(directory, events) != 0 else {
                throw WatchError(directory: directory, reason: "cannot watch: \(errorText(inotifytools_error()))")
            }
        }
    }

    /// Delivers events until `shouldStop` says so (checked at least once a second). Returns an
    /// error when the directory itself went away or inotify failed; the caller then lives on rescans.
    public func run(shouldStop: () -> Bool, deliver: (WatchEvent) -> Void) -> WatchError? {
        while !shouldStop() {
            guard let event = inotifytools_next_event(1) else {
                let failure = inotifytools_error()
                if failure != 0 && failure != EINTR {
                    return WatchError(directory: directory, reason: "inotify: \(errorText(failure))")
                }
                continue
            }
            // The event lives in the library's static storage: copy what is needed now.
            let mask = event.pointee.mask
            if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                deliver(.overflow)
                continue
            }
            if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 {
                let gone = inotifytools_filename_from_wd(event.pointee.wd).map { String(cString: $0) } ?? directory
                return WatchError(directory: gone, reason: "the directory was removed or moved")
            }
            let length = Int(event.pointee.len)
            guard length > 0 else { continue }
            let nameStart = UnsafeRawPointer(event).advanced(by: MemoryLayout<inotify_event>.size)
            let bytes = UnsafeRawBufferPointer(start: nameStart, count: length)
            let name = Array(bytes.prefix { $0 != 0 })
            if !name.isEmpty { deliver(.arrived(name: name)) }
        }
        return nil
    }
}

private func errorText(_ code: Int32) -> String {
    String(decoding: Array(UnsafeBufferPointer(start: strerror(code), count: strlen(strerror(code)))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
