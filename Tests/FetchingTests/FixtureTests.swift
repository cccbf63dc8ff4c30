import Fetching
import Foundation
import Testing

/// The fixtures other test targets reuse: they must stop when released, or every test run
/// leaves servers behind.
@Suite struct FixtureTests {
    /// Whether `pid` is a live process (not gone, not a zombie nobody reaps).
    private func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(end, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    /// Waits (at most 10 s) for `pid` to stop running.
    private func stops(_ pid: pid_t) -> Bool {
        for _ in 0..<1000 where isRunning(pid) { Thread.sleep(forTimeInterval: 0.01) }
        return !isRunning(pid)
    }

    @Test func theUpstreamServerStopsWhenReleased() throws {
        let directory = try TemporaryDirectory()
        var server: UpstreamServer? = try UpstreamServer(serving: directory.path + "/www")
        let pid = try #require(server?.pid)
        #expect(isRunning(pid))
        server = nil
        #expect(stops(pid))
    }

    @Test(.enabled(if: RsyncDaemon.available)) func theRsyncDaemonStopsWhenReleased() throws {
        let directory = try TemporaryDirectory()
        var daemon: RsyncDaemon? = try RsyncDaemon(directory: directory.path)
        let pid = try #require(daemon?.pid)
        #expect(isRunning(pid))
        daemon = nil
        #expect(stops(pid))
    }

    @Test func theServerLogsEachRequest() throws {
        let directory = try TemporaryDirectory()
        let server = try UpstreamServer(serving: directory.path + "/www")
        try directory.write("www/dir/file", "x")
        let client = HTTPClient()
        for path in ["dir/file", "missing", "_status/503", "dir"] {
            _ = try? client.get(server.url(path), limits: FetchLimits())
        }
        #expect(server.requests == ["GET /dir/file 200", "GET /missing 404", "GET /_status/503 503", "GET /dir 301", "GET /dir/ 200"])
    }
}
