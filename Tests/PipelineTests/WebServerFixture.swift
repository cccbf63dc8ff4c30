import Foundation
import Glibc

/// Python's http.server on 127.0.0.1 serving a directory, as a web server serves a rebuilder's
/// published tree (it decodes percent escapes). Started through a shell so that it is no child of
/// the test process, and stopped by PID.
final class WebServerFixture {
    let port: Int
    let log: String
    private let pid: pid_t

    init(serving directory: String, scratch: String) throws {
        log = scratch + "/http.log"
        let pidFile = scratch + "/http.pid"
        for _ in 0..<10 {
            let candidate = Int.random(in: 20000...60000)
            try SigningKeys.output("/bin/sh", ["-c", "/usr/bin/python3 -m http.server \(candidate) --bind 127.0.0.1 --directory '\(directory)' > '\(log)' 2>&1 & echo $! > '\(pidFile)'"])
            let started = pid_t(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            if SshdFixture.waitForListener(port: candidate) {
                port = candidate
                pid = started
                return
            }
            kill(started, SIGTERM)
        }
        throw FixtureError("http.server did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    var url: String { "http://127.0.0.1:\(port)" }

    deinit { kill(pid, SIGTERM) }
}
