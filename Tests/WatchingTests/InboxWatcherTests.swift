import Foundation
import Glibc
import Synchronization
import Testing
@testable import Watching

/// libinotifytools is a process-wide singleton: this is the only watcher in the test process.
@Suite struct InboxWatcherTests {
    @Test func announcesRenamedInAndClosedFilesAndRefusesASecondWatcher() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let watcher = try InboxWatcher(directory: directory)
        #expect(throws: WatchError.self) { _ = try InboxWatcher(directory: directory) }

        let seen = Mutex<[[UInt8]]>([])
        let stop = Atomic<Bool>(false)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            _ = watcher.run(shouldStop: { stop.load(ordering: .relaxed) }) { event in
                if case .arrived(let name) = event { seen.withLock { $0.append(name) } }
            }
            finished.signal()
        }
        thread.start()

        let outside = directory + "/../renamed-in-\(UUID().uuidString)"
        try "task".write(toFile: outside, atomically: false, encoding: .utf8)
        #expect(rename(outside, directory + "/moved_1_all.buildinfo") == 0)
        try "task".write(toFile: directory + "/written_1_all.buildinfo", atomically: false, encoding: .utf8)
        #expect(mkdir(directory + "/.hidden-dir", 0o755) == 0)

        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline && seen.withLock({ $0.count }) < 2 { Thread.sleep(forTimeInterval: 0.01) }
        stop.store(true, ordering: .relaxed)
        finished.wait()
        let names = seen.withLock { $0 }.map { String(decoding: $0, as: UTF8.self) }
        #expect(names.contains("moved_1_all.buildinfo"))
        #expect(names.contains("written_1_all.buildinfo"))
        #expect(!names.contains(".hidden-dir"))
    }
}
