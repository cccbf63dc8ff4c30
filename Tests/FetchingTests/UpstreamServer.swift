import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A misbehaving upstream web server on 127.0.0.1 (Fixtures/upstream_server.py, whose docstring
/// lists its special paths) serving `root`, read at request time.
///
/// It is started by a short-lived Python that detaches it (a new session, every inherited
/// descriptor closed, no signal blocked) and waits until it has printed its port, and it is
/// stopped by SIGTERM to its PID when this object goes: a long-lived Foundation `Process` child
/// keeps later `Process` instances from being reaped, so none is kept.
///
/// Self-contained, so that other test targets can copy this file (or compile it by path): it
/// finds the script under the package root, whichever directory it is compiled from.
final class UpstreamServer {
    /// The directory served.
    let root: String
    let port: Int
    let pid: pid_t
    /// The server's stdout: its port, then one line per request ("GET /path 200").
    let logPath: String
    private let scratch: String

    /// The script, found from this file's path: the first directory above it holding
    /// Package.swift, then Tests/FetchingTests/Fixtures/upstream_server.py.
    static let script: String = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" && !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("Tests/FetchingTests/Fixtures/upstream_server.py").path
    }()

    private static let launcher = """
        import signal, subprocess, sys, time
        # Threads of the test process block nearly every signal and children inherit the mask:
        # unblocked here, or SIGTERM would never stop the server.
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        script, root, log_path = sys.argv[1:4]
        log = open(log_path, "wb")
        server = subprocess.Popen([sys.executable, script, root], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                  close_fds=True, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with open(log_path, "rb") as f:
                if f.readline().endswith(b"\\n"):
                    print(server.pid)
                    sys.exit(0)
            if server.poll() is not None:
                break
            time.sleep(0.01)
        if server.poll() is None:
            server.kill()
        print("failed")
        """

    /// Starts a server for `root` (created when missing).
    init(serving root: String) throws {
        self.root = root
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("upstream-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        logPath = scratch + "/server.log"

        let printed = try Self.output(Self.python, ["-c", Self.launcher, Self.script, root, logPath])
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        guard let started = pid_t(printed.trimmingCharacters(in: .whitespacesAndNewlines)),
              let firstLine = log.split(separator: "\n").first, let port = Int(firstLine) else {
            try? FileManager.default.removeItem(atPath: scratch)
            throw UpstreamServerError(message: "upstream_server.py did not start: \(printed) \(log.suffix(2000))")
        }
        self.pid = started
        self.port = port
    }

    deinit {
        kill(pid, SIGTERM)
        try? FileManager.default.removeItem(atPath: scratch)
    }

    /// "http://127.0.0.1:PORT"
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The URL of `path` ("a/b.txt" or "/_status/500").
    func url(_ path: String) -> String {
        baseURL + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// The requests served so far, e.g. ["GET /a.txt 200", "GET /missing 404"].
    var requests: [String] {
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        // The log also holds Python's tracebacks for clients that hung up (timeouts, size caps).
        return log.split(separator: "\n").dropFirst().map(String.init).filter { $0.hasPrefix("GET ") || $0.hasPrefix("HEAD ") || $0.hasPrefix("POST ") }
    }

    static var python: String {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "/usr/bin/env"
    }

    /// Runs a short-lived program and returns its stdout.
    private static func output(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = executable == "/usr/bin/env" ? ["python3"] + arguments : arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

struct UpstreamServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
