import Foundation
import Glibc
import Spool

struct GetSelectionResult: Codable, Sendable {
    var listingLines: Int
    var listingBytes: Int
    var spoolTasks: Int
    var prepareSeconds: Double
    /// `rebuilder get` from start to exit: the listing over HTTP from 127.0.0.1, selection of
    /// the newest build per source, and the check of each against the spool.
    var getSeconds: Double
    var peakResidentKiB: Int
    /// `curl -o /dev/null` of the same listing from the same server: the download alone.
    var curlSeconds: Double?
    /// `ls -f` of uploaded/ and records/: listing the spool's names alone.
    var listSpoolSeconds: Double
    var output: String
}

/// The get stage at Debian's full scale and beyond: a pool listing of `lines` lines served by a
/// local web server, against a spool already holding `tasks` tasks (the newest build of every
/// source), so `rebuilder get` lists, selects and skips everything and downloads nothing.
enum GetSelection {
    static func measure(directory: String, rebuilder: String, lines: Int, tasks: Int) throws -> GetSelectionResult {
        let began = Clock.monotonic()
        let spool = Spool(root: "\(directory)/spool")
        try spool.create()
        let www = "\(directory)/www"
        try FileManager.default.createDirectory(atPath: www, withIntermediateDirectories: true)
        let listingBytes = try writeListing(to: "\(www)/buildinfo-pool_unstable_amd64.list", lines: lines, sources: tasks)
        Progress.note("get: \(lines)-line listing written (\(listingBytes / 1_000_000) MB); writing \(tasks) tasks into uploaded/")
        try writeSpool(spool, sources: tasks)
        let prepareSeconds = Clock.monotonic() - began

        let server = try LocalWebServer(serving: www, log: "\(directory)/http.log")
        defer { server.stop() }
        let config = "\(directory)/rebuilder.conf"
        try """
            [spool]
            root = \(spool.root)
            [debian]
            dist = unstable.amd64
            buildinfos-baseurl = http://127.0.0.1:\(server.port)
            """.write(toFile: config, atomically: true, encoding: .utf8)
        Progress.note("get: rebuilder get against the local server")
        let run = try ChildRun.run(rebuilder, [Stage.get.name, "--config", config], output: "\(directory)/\(Stage.get).out")
        guard run.status == 0 else { throw DaemonError(description: "rebuilder get exited \(run.status): \(run.output)") }
        // The floor under the same conditions: fetching the listing, and reading the spool's names.
        let curl = FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")
            ? try ChildRun.run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "http://127.0.0.1:\(server.port)/buildinfo-pool_unstable_amd64.list"],
                               output: "\(directory)/curl.out").seconds
            : nil
        let list = try ChildRun.run("/bin/ls", ["-f", spool.path(.uploaded), spool.recordsPath], output: "\(directory)/ls.out")
        return GetSelectionResult(listingLines: lines, listingBytes: listingBytes, spoolTasks: tasks, prepareSeconds: prepareSeconds,
                                  getSeconds: run.seconds, peakResidentKiB: run.peakResidentKiB, curlSeconds: curl,
                                  listSpoolSeconds: list.seconds, output: run.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The newest build of source i is `src<i>_1.<i%7>-2+b1_amd64`; older versions and `all`
    /// builds fill the listing up to `lines`, in the pool's sorted order.
    static func newest(_ index: Int) -> String { "src\(index)_1.\(index % 7)-2+b1_amd64.buildinfo" }

    private static func writeListing(to path: String, lines: Int, sources: Int) throws -> Int {
        var text = ""
        text.reserveCapacity(lines * 64)
        var written = 0
        var index = 0
        while written < lines {
            let source = index % sources
            let name = "src\(source)"
            let directory = "/buildinfo-pool/s/\(name)/"
            let version = "1.\(source % 7)"
            var entries = index < sources
                ? ["\(name)_\(version)-1_amd64", "\(name)_\(version)-2_amd64", "\(name)_\(version)-2+b1_amd64"]
                : ["\(name)_\(version)-\(index / sources + 2)_all"]
            entries = Array(entries.prefix(lines - written))
            for entry in entries { text += directory + entry + ".buildinfo\n" }
            written += entries.count
            index += 1
        }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return text.utf8.count
    }

    private static func writeSpool(_ spool: Spool, sources: Int) throws {
        let content = Array("Format: 1.0\n".utf8)
        for index in 0..<sources {
            let name = newest(index)
            let path = spool.path(.uploaded, name)
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw FilesystemError("create", path) }
            _ = content.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
            guard mkdir("\(spool.recordsPath)/\(name)", 0o755) == 0 else { throw FilesystemError("mkdir", "\(spool.recordsPath)/\(name)") }
            if index % 20000 == 19999 { try Interrupted.check() }
        }
    }
}

/// A child run to its end, timed, with its own peak memory from wait4(2).
enum ChildRun {
    static func run(_ executable: String, _ arguments: [String], output: String) throws -> (status: Int32, seconds: Double, peakResidentKiB: Int, output: String) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, output, O_WRONLY | O_APPEND, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let began = Clock.monotonic()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw DaemonError(description: "cannot start \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let seconds = Clock.monotonic() - began
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exit, seconds, Int(usage.ru_maxrss), text)
    }
}

/// Python's http.server on 127.0.0.1, detached (new session, inherited descriptors closed), stopped by PID.
struct LocalWebServer {
    let port: Int
    let pid: pid_t

    init(serving directory: String, log: String) throws {
        let launcher = """
            import socket, subprocess, sys, time
            probe = socket.socket(); probe.bind(("127.0.0.1", 0)); port = probe.getsockname()[1]; probe.close()
            log = open(sys.argv[2], "w")
            server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", sys.argv[1]],
                                      stdin=subprocess.DEVNULL, stdout=log, stderr=log, close_fds=True, start_new_session=True)
            for _ in range(500):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close(); break
                except OSError:
                    time.sleep(0.02)
            print(server.pid, port)
            """
        let printed = try ChildRun.run("/usr/bin/python3", ["-c", launcher, directory, log], output: log + ".launcher")
        let fields = printed.output.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard fields.count == 2 else { throw DaemonError(description: "http.server did not start: \(printed.output)") }
        pid = pid_t(fields[0])
        port = fields[1]
    }

    func stop() { kill(pid, SIGTERM) }
}
