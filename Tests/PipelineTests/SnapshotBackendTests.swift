import FileSystem
import Foundation
import Glibc
import Rebuild
import Spool
import Testing

/// The snapshot backend through the real build stage: environments from a snapshot service on
/// 127.0.0.1 serving real Debian packages, builds in the sandbox.
@Suite(.serialized) struct SnapshotBackendTests {
    static let setUp = FileManager.default.fileExists(atPath: BuildStageTests.repository + "/.build-snapshot/complete")

    /// A snapshot service over the packages scripts/setup downloaded and the example
    /// distribution's sources and binaries, plus `extra` files (.dsc or .deb).
    final class SnapshotService {
        let tree: String
        let server: UpstreamServer
        var base: String { "http://127.0.0.1:\(server.port)" }

        init(in directory: String, extra: [String] = []) throws {
            tree = directory + "/snapshot"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let distribution = try ExampleDistribution.path()
            _ = try SigningKeys.output("/bin/cp", ["-al", BuildStageTests.repository + "/.build-snapshot/tree", tree])
            let added = try FileManager.default.contentsOfDirectory(atPath: distribution + "/pool").filter { $0.hasSuffix(".dsc") }
                .map { "\(distribution)/pool/\($0)" }
                + (try FileManager.default.contentsOfDirectory(atPath: distribution + "/debs")).map { "\(distribution)/debs/\($0)" }
            _ = try SigningKeys.output(BuildStageTests.repository + "/scripts/snapshot-tree", [tree] + added + extra)
            server = try UpstreamServer(serving: tree)
        }
    }

    private func result(_ fixture: PipelineFixture, _ id: String) throws -> RebuildRecord {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixture.spool.recordPath(TaskID(id)!, "build/result.json")))
        return try JSONDecoder().decode(RebuildRecord.self, from: data)
    }

    /// A build stage with the snapshot backend against `service`, its cache in the fixture.
    private func fixture(_ service: SnapshotService, base: PipelineFixture, attempts: Int = 3) throws -> PipelineFixture {
        try """
        [common]
        snapshot = \(service.base)
        [spool]
        root = \(base.spoolRoot)
        backoff = 0.1
        max-backoff = 0.2
        rescan-period = 0.5
        max-attempts = \(attempts)
        [stage.build]
        backend = snapshot
        cache = \(base.base)/cache
        unreproducible-attempts = 1
        ftbfs-attempts = 1
        timeout = 900
        """.write(toFile: base.configPath, atomically: true, encoding: .utf8)
        return base
    }

    /// hello-repro's source under another name, whose build first tries to reach the host:
    /// 127.0.0.1 over TCP, a file of the spool, /root. Each attempt prints its outcome.
    private func escapingPackage(in directory: String, targets: (port: Int, spoolFile: String)) throws -> String {
        let source = directory + "/hello-escape-1.0"
        _ = try SigningKeys.output("/bin/cp", ["-r", BuildStageTests.repository + "/examples/packages/hello-repro", source])
        for (from, to) in [("hello-repro.c", "hello-escape.c"), ("hello-repro.1", "hello-escape.1")] {
            try FileManager.default.moveItem(atPath: "\(source)/\(from)", toPath: "\(source)/\(to)")
        }
        for file in ["debian/control", "debian/changelog"] {
            let text = try String(contentsOfFile: "\(source)/\(file)", encoding: .utf8).replacingOccurrences(of: "hello-repro", with: "hello-escape")
            try text.write(toFile: "\(source)/\(file)", atomically: true, encoding: .utf8)
        }
        try """
        try() {
            if out=$("$@" 2>&1); then echo "escape attempt: $* SUCCEEDED: $out"; else echo "escape attempt: $* refused: $out"; fi
        }
        try perl -MIO::Socket::INET -e 'IO::Socket::INET->new(PeerAddr => "127.0.0.1:\(targets.port)", Timeout => 5) or die "$!\\n"'
        try cat \(targets.spoolFile)
        try ls /root
        """.write(toFile: source + "/debian/escape", atomically: true, encoding: .utf8)
        var rules = try String(contentsOfFile: source + "/debian/rules", encoding: .utf8)
        rules = rules.replacingOccurrences(of: "build-arch-stamp: $(PKG).c\n", with: "build-arch-stamp: $(PKG).c\n\tsh debian/escape\n")
        try rules.write(toFile: source + "/debian/rules", atomically: true, encoding: .utf8)
        _ = try SigningKeys.output("/bin/sh", ["-c", "cd \"$1\" && dpkg-source -b hello-escape-1.0 >/dev/null", "sh", directory])
        return directory + "/hello-escape_1.0.dsc"
    }

    @Test(.enabled(if: setUp, "scripts/setup has not downloaded the snapshot packages"), .timeLimit(.minutes(10)))
    func theExampleReproducesThroughTheSnapshotAndAnEscapingBuildIsRefusedBesideIt() throws {
        let base = try PipelineFixture()
        let distribution = try ExampleDistribution.path()
        let spoolFile = base.configPath
        let escapeDirectory = base.base + "/escape"
        try FileManager.default.createDirectory(atPath: escapeDirectory, withIntermediateDirectories: true)
        // A second service is the TCP target: something certainly listens there, on 127.0.0.1.
        let portProbe = try SnapshotService(in: base.base + "/probe")
        let dsc = try escapingPackage(in: escapeDirectory, targets: (portProbe.server.port, spoolFile))
        let service = try SnapshotService(in: base.base, extra: [dsc])
        // Its buildinfo: hello-repro's, renamed (same packages, same Build-Path scheme).
        let escapeBuildinfo = escapeDirectory + "/hello-escape_1.0_amd64.buildinfo"
        try String(contentsOfFile: "\(distribution)/buildinfo/hello-repro_1.0_amd64.buildinfo", encoding: .utf8)
            .replacingOccurrences(of: "hello-repro", with: "hello-escape")
            .write(toFile: escapeBuildinfo, atomically: true, encoding: .utf8)
        let fixture = try fixture(service, base: base)
        try fixture.startStage("build")
        let ids = try fixture.submit(["\(distribution)/buildinfo/hello-repro_1.0_amd64.buildinfo", escapeBuildinfo])
        #expect(fixture.waitUntil(seconds: 600) { fixture.entries(.attesting).count == 2 },
                "attesting: \(fixture.entries(.attesting)) failed: \(fixture.entries(.failed))\n\(fixture.daemonLogs())")
        withExtendedLifetime(portProbe) {}

        let repro = try result(fixture, ids[0])
        #expect(repro.verdict == .reproducible)
        #expect(repro.backend == "snapshot")
        #expect(repro.artifacts.count == 2 && repro.artifacts.allSatisfy(\.matches))
        let reproLog = try String(contentsOfFile: fixture.spool.recordPath(TaskID(ids[0])!, "build.log"), encoding: .utf8)
        #expect(reproLog.contains("environment checked: its 122 installed packages are the buildinfo's")
                || reproLog.contains("is cached"))

        let escapeLog = try String(contentsOfFile: fixture.spool.recordPath(TaskID(ids[1])!, "build.log"), encoding: .utf8)
        #expect(escapeLog.contains("escape attempt: perl"), "the escaping build did not run its attempts:\n\(escapeLog.suffix(3000))")
        #expect(escapeLog.contains("127.0.0.1:\(portProbe.server.port)") && escapeLog.contains("refused: Network is unreachable"))
        #expect(escapeLog.contains("escape attempt: cat \(spoolFile) refused: cat: \(spoolFile): No such file or directory"))
        #expect(escapeLog.contains("escape attempt: ls /root refused: ls: cannot open directory '/root': Permission denied"))
        #expect(!escapeLog.contains("SUCCEEDED"))
    }

    @Test(.enabled(if: setUp && SshdFixture.available, "scripts/setup has not downloaded the snapshot packages, or no sshd"),
          .timeLimit(.minutes(10)))
    func aRemoteBuildHostRunsTheSnapshotBackendWithItsOwnCache() throws {
        let base = try PipelineFixture()
        let distribution = try ExampleDistribution.path()
        let service = try SnapshotService(in: base.base)
        let sshd = try SshdFixture(directory: base.base + "/sshd")
        // The cache the configuration names is the build host's: here the same machine, reached over ssh.
        let hostCache = base.base + "/build-host-cache"
        let fixture = try fixture(service, base: base)
        let text = try String(contentsOfFile: fixture.configPath, encoding: .utf8)
            .replacingOccurrences(of: "cache = \(base.base)/cache", with: """
            cache = \(hostCache)
            remote = \(NSUserName())@127.0.0.1
            remote-port = \(sshd.port)
            remote-key = \(sshd.userKey)
            remote-known-hosts = \(sshd.knownHosts)
            remote-directory = \(sshd.directory)/remote-builds
            remote-rebuilder = \(PipelineFixture.binary)
            """)
        try text.write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
        try fixture.startStage("build")
        let id = try fixture.submit(["\(distribution)/buildinfo/hello-repro_1.0_amd64.buildinfo"])[0]
        #expect(fixture.waitUntil(seconds: 600) { fixture.entries(.attesting).count == 1 },
                "attesting: \(fixture.entries(.attesting)) failed: \(fixture.entries(.failed))\n\(fixture.daemonLogs())")
        let record = try result(fixture, id)
        #expect(record.verdict == .reproducible && record.backend == "snapshot")
        let log = try String(contentsOfFile: fixture.spool.recordPath(TaskID(id)!, "build.log"), encoding: .utf8)
        #expect(log.contains("environment checked: its 122 installed packages are the buildinfo's"), "\(log.suffix(3000))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: hostCache + "/files").count == 124, "the packages and the two source files")
        #expect(try FileManager.default.contentsOfDirectory(atPath: hostCache + "/environments").count == 1)
        #expect(!FileManager.default.fileExists(atPath: base.base + "/cache"), "the stage's host made no cache of its own")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: sshd.directory + "/remote-builds")) ?? []).isEmpty)
    }

    @Test(.enabled(if: setUp, "scripts/setup has not downloaded the snapshot packages"), .timeLimit(.minutes(10)))
    func aMissingVersionAndABadDebAreRetriedNamingThePackageWithoutAVerdict() throws {
        let base = try PipelineFixture()
        let distribution = try ExampleDistribution.path()
        let service = try SnapshotService(in: base.base)
        // One buildinfo names a make the snapshot never had; for the other, the service serves
        // other bytes under patch's hash.
        let missing = base.base + "/missing/hello-repro_1.0_amd64.buildinfo"
        try FileManager.default.createDirectory(atPath: base.base + "/missing", withIntermediateDirectories: true)
        let honest = try String(contentsOfFile: "\(distribution)/buildinfo/hello-repro_1.0_amd64.buildinfo", encoding: .utf8)
        let makeLine = try #require(honest.split(separator: "\n").first { $0.hasPrefix(" make (= ") })
        try honest.replacingOccurrences(of: String(makeLine), with: " make (= 9.9-9),")
            .write(toFile: missing, atomically: true, encoding: .utf8)
        let patchListing = try #require(try FileManager.default.contentsOfDirectory(atPath: service.tree + "/mr/binary/patch").first { !$0.hasPrefix("index") })
        let answer = try String(contentsOfFile: "\(service.tree)/mr/binary/patch/\(patchListing)/binfiles", encoding: .utf8)
        let patchSHA1 = String(try #require(answer.split(separator: "\"").first { $0.count == 40 && $0.allSatisfy(\.isHexDigit) }))
        let served = "\(service.tree)/file/\(patchSHA1)"
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: served)))
        bytes[bytes.count / 2] ^= 0xFF
        try FileManager.default.removeItem(atPath: served)
        try Data(bytes).write(to: URL(fileURLWithPath: served))

        let fixture = try fixture(service, base: base, attempts: 2)
        try fixture.startStage("build")
        let ids = try fixture.submit([missing, "\(distribution)/buildinfo/hello-unrepro_1.0_amd64.buildinfo"])
        #expect(fixture.waitUntil(seconds: 120) { fixture.entries(.failed).count == 2 }, "\(fixture.daemonLogs())")
        let missingHistory = try fixture.spool.history(of: TaskID(ids[0])!).map(\.detail).joined(separator: "\n")
        #expect(missingHistory.contains("not in the snapshot: make (= 9.9-9)"), "\(missingHistory)")
        let badHistory = try fixture.spool.history(of: TaskID(ids[1])!).map(\.detail).joined(separator: "\n")
        #expect(badHistory.contains("refused (bytes do not match their hash): patch (="), "\(badHistory)")
        let badLog = try String(contentsOfFile: fixture.spool.recordPath(TaskID(ids[1])!, "build.log"), encoding: .utf8)
        #expect(badLog.contains("refused patch (="))
        #expect(!badLog.contains("mmdebstrap"), "an environment was made with a refused package")
        for id in ids {
            #expect(!FileManager.default.fileExists(atPath: fixture.spool.recordPath(TaskID(id)!, "build/result.json")), "a verdict was recorded")
        }
        // The bad bytes never entered the cache.
        let cached = try FileManager.default.contentsOfDirectory(atPath: base.base + "/cache/files")
        let badSHA256 = try SigningKeys.output("/usr/bin/sha256sum", [served]).prefix(64)
        #expect(!cached.contains(String(badSHA256)))
    }

    @Test(.enabled(if: setUp, "scripts/setup has not downloaded the snapshot packages"), .timeLimit(.minutes(10)))
    func aBackendKilledMidDownloadLeavesNoPartialFileAndTheNextRunCompletes() throws {
        let base = try PipelineFixture()
        let distribution = try ExampleDistribution.path()
        let service = try SnapshotService(in: base.base)
        let cache = base.base + "/cache"
        let buildinfo = "\(distribution)/buildinfo/hello-repro_1.0_amd64.buildinfo"
        func backend(_ snapshot: String, output: String) throws -> Process {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: PipelineFixture.binary)
            process.arguments = ["backend", "snapshot", "--snapshot", snapshot, "--cache", cache,
                                 "--build-dir", "/build/reproducible-path/hello-repro-1.0", buildinfo, output]
            process.standardOutput = FileHandle.nullDevice
            FileManager.default.createFile(atPath: output + ".log", contents: nil)
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: output + ".log"))
            try process.run()
            return process
        }
        // Every file comes at 2 MB/s: killed once a few are in, the backend is mid-way through another.
        let slow = try backend("\(service.base)/_throttle/2000000", output: base.base + "/slow")
        let files = cache + "/files"
        let started = Date()
        while ((try? FileManager.default.contentsOfDirectory(atPath: files))?.count ?? 0) < 5 && Date().timeIntervalSince(started) < 120 {
            usleep(20_000)
        }
        usleep(300_000)
        kill(slow.processIdentifier, SIGKILL)
        slow.waitUntilExit()
        let kept = try FileManager.default.contentsOfDirectory(atPath: files)
        #expect(kept.count >= 5 && kept.count < 122, "killed too late or too early: \(kept.count) files cached")
        for directory in ["files", "sha1", "environments"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: "\(cache)/\(directory)")
            #expect(names.allSatisfy { !$0.hasPrefix(".") }, "a partial file in \(directory)/: \(names.filter { $0.hasPrefix(".") })")
        }
        for name in kept {
            #expect(try SigningKeys.output("/usr/bin/sha256sum", ["\(files)/\(name)"]).prefix(64) == name)
        }

        // The next run takes what is there, fetches the rest, sweeps the dead run's work directory and builds.
        let next = try backend(service.base, output: base.base + "/next")
        next.waitUntilExit()
        #expect(next.terminationStatus == 0, "\(((try? String(contentsOfFile: base.base + "/next.log", encoding: .utf8)) ?? "").suffix(3000))")
        let rebuilt = try #require(try FileDigest.of(path: base.base + "/next/hello-repro_1.0_amd64.deb"))
        #expect(rebuilt == (try FileDigest.of(path: "\(distribution)/debs/hello-repro_1.0_amd64.deb")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache + "/work").isEmpty)
        for name in try FileManager.default.contentsOfDirectory(atPath: files) {
            #expect(try SigningKeys.output("/usr/bin/sha256sum", ["\(files)/\(name)"]).prefix(64) == name)
        }

        // Without its environment, the same set is made again on the base environment the first
        // build left (essential and build-essential), with exactly the buildinfo's packages.
        let bases = try FileManager.default.contentsOfDirectory(atPath: cache + "/bases").sorted()
        #expect(bases.count == 2 && bases[0].hasSuffix(".files") && bases[1].hasSuffix(".tar"), "\(bases)")
        for name in try FileManager.default.contentsOfDirectory(atPath: cache + "/environments") {
            try FileManager.default.removeItem(atPath: "\(cache)/environments/\(name)")
        }
        let layered = try backend(service.base, output: base.base + "/layered")
        layered.waitUntilExit()
        let log = try String(contentsOfFile: base.base + "/layered.log", encoding: .utf8)
        #expect(layered.terminationStatus == 0, "\(log.suffix(3000))")
        #expect(log.contains("with mmdebstrap from 122 packages, on the base environment"), "\(log.suffix(3000))")
        #expect(!log.contains("making a base environment"))
        #expect(log.contains("environment checked: its 122 installed packages are the buildinfo's"))
        #expect(try FileDigest.of(path: base.base + "/layered/hello-repro_1.0_amd64.deb") == rebuilt)
    }
}
