import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real `rsync --daemon` on 127.0.0.1 with one read-only module, `qubes-mirror`, serving
/// `directory/module`. Started detached by a short-lived Python (which picks a free port and
/// waits until the daemon accepts connections) and stopped by PID, as `UpstreamServer` is.
final class RsyncDaemon {
    let directory: String
    let port: Int
    let pid: pid_t

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/rsync") }

    private static let launcher = """
        import os, signal, socket, subprocess, sys, time
        signal.pthread_sigmask(signal.SIG_SETMASK, [])   # as in UpstreamServer: SIGTERM must stop it
        directory = sys.argv[1]
        config = os.path.join(directory, "rsyncd.conf")
        identity = "uid = %d\\ngid = %d\\n" % (os.getuid(), os.getgid()) if os.geteuid() == 0 else ""
        with open(config, "w") as f:
            f.write("pid file = %s/rsyncd.pid\\nlog file = %s/rsyncd.log\\nuse chroot = false\\nreverse lookup = no\\n%s"
                    "[qubes-mirror]\\n    path = %s/module\\n    read only = true\\n    use chroot = false\\n"
                    % (directory, directory, identity, directory))
        for attempt in range(10):
            probe = socket.socket()
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
            probe.close()
            out = open(os.path.join(directory, "rsyncd.out"), "ab")
            daemon = subprocess.Popen(["rsync", "--daemon", "--no-detach", "--config=" + config, "--port=%d" % port,
                                       "--address=127.0.0.1"], stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                      close_fds=True, start_new_session=True)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and daemon.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    print(daemon.pid, port)
                    sys.exit(0)
                except OSError:
                    time.sleep(0.02)
            if daemon.poll() is None:
                daemon.kill()
                daemon.wait()
        print("failed")
        """

    /// Starts a daemon for `directory/module`, writing its configuration and logs in `directory`.
    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory + "/module", withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: UpstreamServer.python)
        process.arguments = (UpstreamServer.python == "/usr/bin/env" ? ["python3"] : []) + ["-c", Self.launcher, directory]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fields = printed.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard fields.count == 2, let pid = pid_t(fields[0]), let port = Int(fields[1]) else {
            let log = (try? String(contentsOfFile: directory + "/rsyncd.out", encoding: .utf8)) ?? ""
            throw UpstreamServerError(message: "rsync --daemon did not start: \(printed) \(log.suffix(2000))")
        }
        self.pid = pid
        self.port = port
    }

    deinit { kill(pid, SIGTERM) }

    /// "rsync://127.0.0.1:PORT/qubes-mirror/" followed by `path`.
    func url(_ path: String) -> String { "rsync://127.0.0.1:\(port)/qubes-mirror/\(path)" }
}
