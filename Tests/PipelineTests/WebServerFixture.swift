import Foundation
import Glibc

/// Python's http.server on 127.0.0.1 serving a directory, as a web server serves a rebuilder's
/// published tree (it decodes percent escapes). Started by a short-lived Python that detaches it
/// with every inherited descriptor closed, and stopped by PID: a long-lived child holding
/// Foundation's internal descriptors keeps later `Process` instances from being reaped.
final class WebServerFixture {
    let port: Int
    let log: String
    private let pid: pid_t

    init(serving directory: String, scratch: String) throws {
        log = scratch + "/http.log"
        let launcher = """
            import subprocess, sys
            log = open(sys.argv[3], "w")
            server = subprocess.Popen(["/usr/bin/python3", "-m", "http.server", sys.argv[1], "--bind", "127.0.0.1", "--directory", sys.argv[2]],
                                      stdin=subprocess.DEVNULL, stdout=log, stderr=log, close_fds=True, start_new_session=True)
            print(server.pid)
            """
        for _ in 0..<10 {
            let candidate = Int.random(in: 20000...60000)
            let printed = try SigningKeys.output("/usr/bin/python3", ["-c", launcher, String(candidate), directory, log])
            let started = pid_t(printed.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
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
