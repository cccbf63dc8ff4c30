import FileSystem
import Foundation
import Buildinfo
import Glibc
import Rebuild
import Spool
import Testing

/// The real build stage: the local backend with the real dpkg-buildpackage on the bundled
/// examples, and the backend contract's hard cases with command backends.
@Suite(.serialized) struct BuildStageTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let fakeBash = repository + "/Tests/PipelineTests/Fixtures/bash_5.1-2+b3_amd64.buildinfo"
    static let hasDpkgBuildpackage = FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg-buildpackage")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/gcc")

    private func result(_ fixture: PipelineFixture, _ id: String) throws -> RebuildRecord {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixture.spool.recordPath(TaskID(id)!, "build/result.json")))
        return try JSONDecoder().decode(RebuildRecord.self, from: data)
    }

    /// The hex digest `tool` (md5sum, sha1sum) prints for `path`.
    private func digest(_ tool: String, _ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix { $0 != " " })
    }

    private enum FixturePlaceholder { static let distribution = "@DISTRIBUTION@" }

    /// A spool whose build stage uses the local backend on the examples built as the distribution
    /// did; `buildSettings` adds [stage.build] lines (`@DISTRIBUTION@` stands for that build).
    private func localBackendFixture(buildSettings: String) throws -> (PipelineFixture, String) {
        let fixture = try PipelineFixture()
        let distribution = try ExampleDistribution.path()
        fixture.hold(try ExampleBuilds())
        try """
        [spool]
        root = \(fixture.spoolRoot)
        backoff = 0.1
        [stage.build]
        backend = local
        pool = \(distribution)/pool
        unreproducible-attempts = 1
        \(buildSettings.replacingOccurrences(of: FixturePlaceholder.distribution, with: distribution))
        """.write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
        return (fixture, distribution)
    }

    @Test(.enabled(if: hasDpkgBuildpackage))
    func theExamplesGetTheRightVerdictsAndATamperedDebIsCaught() throws {
        let (fixture, distribution) = try localBackendFixture(buildSettings: """
        shipped-packages = \(FixturePlaceholder.distribution)/debs
        ftbfs-attempts = 1
        timeout = 600
        """)

        // The "distribution" shipped a tampered -doc package: its buildinfo names the tampered file.
        let tamperedDirectory = fixture.base + "/tampered"
        try FileManager.default.createDirectory(atPath: tamperedDirectory, withIntermediateDirectories: true)
        let honest = try String(contentsOfFile: "\(distribution)/buildinfo/hello-repro_1.0_amd64.buildinfo", encoding: .utf8)
        var doc = try Data(contentsOf: URL(fileURLWithPath: "\(distribution)/debs/hello-repro-doc_1.0_all.deb"))
        let honestDigest = try #require(try FileDigest.of(path: "\(distribution)/debs/hello-repro-doc_1.0_all.deb"))
        doc.append(0x0A)
        let tamperedDeb = tamperedDirectory + "/hello-repro-doc_1.0_all.deb"
        try doc.write(to: URL(fileURLWithPath: tamperedDeb))
        let tamperedDigest = try #require(try FileDigest.of(path: tamperedDeb))
        var tampered = honest.replacingOccurrences(of: "\(honestDigest.sha256) \(honestDigest.size) hello-repro-doc",
                                                   with: "\(tamperedDigest.sha256) \(tamperedDigest.size) hello-repro-doc")
        for tool in ["md5sum", "sha1sum"] {
            let before = try digest(tool, "\(distribution)/debs/hello-repro-doc_1.0_all.deb")
            tampered = tampered.replacingOccurrences(of: "\(before) \(honestDigest.size) hello-repro-doc",
                                                     with: "\(try digest(tool, tamperedDeb)) \(tamperedDigest.size) hello-repro-doc")
        }
        #expect(tampered != honest)
        try tampered.write(toFile: tamperedDirectory + "/hello-repro_1.0_amd64.buildinfo", atomically: true, encoding: .utf8)

        try fixture.startStage("build")
        let ids = try fixture.submit(["\(distribution)/buildinfo/hello-repro_1.0_amd64.buildinfo",
                                      "\(distribution)/buildinfo/hello-unrepro_1.0_amd64.buildinfo",
                                      tamperedDirectory + "/hello-repro_1.0_amd64.buildinfo"])
        #expect(ids.count == 3)
        let done = fixture.waitUntil(seconds: 300) { fixture.entries(.attesting).count + fixture.entries(.failed).count == 3 }
            && fixture.entries(.attesting).count == 3
        #expect(done, "attesting: \(fixture.entries(.attesting)) failed: \(fixture.entries(.failed))\n\(fixture.daemonLogs())")

        let repro = try result(fixture, ids[0])
        #expect(repro.verdict == .reproducible)
        #expect(repro.artifacts.count == 2 && repro.artifacts.allSatisfy(\.matches))

        let unrepro = try result(fixture, ids[1])
        #expect(unrepro.verdict == .unreproducible)
        #expect(unrepro.artifacts.filter { !$0.matches }.map(\.name) == ["hello-unrepro_1.0_amd64.deb"])
        #expect(unrepro.artifacts.filter(\.matches).map(\.name) == ["hello-unrepro-doc_1.0_all.deb"])
        let summary = try String(contentsOfFile: fixture.spool.recordPath(TaskID(ids[1])!, "build/summary.out"), encoding: .utf8)
        #expect(summary.contains("\"hello-unrepro_1.0_amd64.deb\""))
        #expect(!summary.contains("hello-unrepro-doc"))

        #expect(ids[2].contains(".sha256-"))
        let caught = try result(fixture, ids[2])
        #expect(caught.verdict == .unreproducible)
        #expect(caught.artifacts.filter { !$0.matches }.map(\.name) == ["hello-repro-doc_1.0_all.deb"])
        let log = try String(contentsOfFile: fixture.spool.recordPath(TaskID(ids[0])!, "build.log"), encoding: .utf8)
        #expect(log.contains("Installed-Build-Depends"))
    }

    @Test(.enabled(if: hasDpkgBuildpackage && SshdFixture.available))
    func theSshExecutorBuildsTheExamplesOnAnotherHost() throws {
        let sshd = try SshdFixture(directory: "/var/tmp/sshd-\(UUID().uuidString.prefix(8))")
        let remoteDirectory = sshd.directory + "/remote-builds"
        let (fixture, distribution) = try localBackendFixture(buildSettings: """
        remote = \(NSUserName())@127.0.0.1
        remote-port = \(sshd.port)
        remote-key = \(sshd.userKey)
        remote-known-hosts = \(sshd.knownHosts)
        remote-directory = \(remoteDirectory)
        remote-rebuilder = \(PipelineFixture.binary)
        """)
        defer { try? FileManager.default.removeItem(atPath: sshd.directory) }
        try fixture.startStage("build")
        let ids = try fixture.submit(["\(distribution)/buildinfo/hello-repro_1.0_amd64.buildinfo",
                                      "\(distribution)/buildinfo/hello-unrepro_1.0_amd64.buildinfo"])
        let done = fixture.waitUntil(seconds: 300) { fixture.entries(.attesting).count == 2 }
        #expect(done, "failed: \(fixture.entries(.failed))\n\(fixture.daemonLogs())")
        #expect(try result(fixture, ids[0]).verdict == .reproducible)
        #expect(try result(fixture, ids[1]).verdict == .unreproducible)
        let log = try String(contentsOfFile: fixture.spool.recordPath(TaskID(ids[0])!, "build.log"), encoding: .utf8)
        #expect(log.contains("dpkg-buildpackage"))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: remoteDirectory)) ?? []).isEmpty, "remote task directories left behind")
    }

    /// A command backend for the fake bash buildinfo: `body` decides what happens.
    private func commandFixture(_ body: String, build: String) throws -> PipelineFixture {
        let fixture = try PipelineFixture(spoolSettings: "backoff = 0.1\nmax-backoff = 0.2\nrescan-period = 0.5\n")
        let script = fixture.base + "/backend"
        try "#!/bin/sh\nout=\"$2\"\n\(body)\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        try """
        [spool]
        root = \(fixture.spoolRoot)
        backoff = 0.1
        max-backoff = 0.2
        rescan-period = 0.5
        max-attempts = 3
        [stage.build]
        backend = command
        command = \(script)
        \(build)
        """.write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
        return fixture
    }

    @Test func aHangingBackendIsKilledWithItsChildrenAtItsTimeout() throws {
        let marker = "rebuilder-hang-\(UUID().uuidString.prefix(8))"
        let fixture = try commandFixture("sh -c 'sleep 1000; :' \(marker)-child &\nsh -c 'sleep 1000; :' \(marker)-main",
                                         build: "timeout = 1")
        try fixture.startStage("build")
        let id = try fixture.submit([BuildStageTests.fakeBash])[0]
        #expect(fixture.waitUntil(seconds: 30) { fixture.entries(.failed).count == 1 }, "\(fixture.daemonLogs())")
        let reason = try fixture.spool.reason(of: TaskID(id)!) ?? ""
        #expect(reason.contains("gave up after 3 attempts; the last: the command backend timed out after 1.0 s"))
        let survivors = processesMatching(marker)
        #expect(survivors.isEmpty, "left running: \(survivors)")
    }

    @Test func aGigabyteOfLogIsCappedAndTheVerdictKept() throws {
        let fixture = try commandFixture("head -c 1073741824 /dev/zero | tr '\\\\0' 'x'\nexit 0", build: "log-limit = 1M\nftbfs-attempts = 1")
        try fixture.startStage("build")
        let id = try fixture.submit([BuildStageTests.fakeBash])[0]
        #expect(fixture.waitUntil(seconds: 120) { fixture.entries(.attesting).count == 1 }, "\(fixture.daemonLogs())")
        let record = try result(fixture, id)
        #expect(record.verdict == .ftbfs)
        #expect(record.logTruncated)
        let logSize = try FileManager.default.attributesOfItem(atPath: fixture.spool.recordPath(TaskID(id)!, "build.log"))[.size] as? Int ?? 0
        #expect(logSize > 1 << 20 && logSize < (1 << 20) + 4096)
    }

    @Test func temporaryTroubleIsRetriedAndAKeepsDifferingBuildStopsAtItsLimit() throws {
        // First run: exit 75; then killed by a signal; then it "builds" a different file every time.
        let fixture = try commandFixture("""
        count=$(cat "$REBUILDER_SPOOL/../runs" 2>/dev/null || echo 0); echo $((count + 1)) > "$REBUILDER_SPOOL/../runs"
        case $count in
          0) echo "mirror unreachable"; exit 75 ;;
          1) kill -9 $$ ;;
        esac
        for deb in bash-static_5.1-2+b3_amd64.deb bash_5.1-2+b3_amd64.deb; do head -c 64 /dev/urandom > "$out/$deb"; done
        """, build: "unreproducible-attempts = 2")
        try fixture.run(["init"])
        try fixture.startStage("build")
        let id = try fixture.submit([BuildStageTests.fakeBash])[0]
        let handedOn = fixture.waitUntil(seconds: 60) { fixture.entries(.attesting).count == 1 }
        #expect(handedOn, "new: \(fixture.entries(.new)) failed: \(fixture.entries(.failed))\n\(fixture.daemonLogs())")
        let history = try fixture.spool.history(of: TaskID(id)!)
        let deferred = history.filter { $0.event == "deferred" }.map(\.detail)
        #expect(deferred.count == 3, "\(deferred)")
        #expect(deferred.first?.contains("could not run now (exit 75): mirror unreachable") == true)
        #expect(deferred.dropFirst().first?.contains("killed by signal 9") == true)
        #expect(deferred.last?.contains("unreproducible") == true)
        #expect(try result(fixture, id).verdict == .unreproducible)
        #expect(try result(fixture, id).attempt == 2 + 2)
    }

    /// A buildd's signing key in one GnuPG home, its public key in another (the keyring the build
    /// stage checks with), and fake_bash signed, tampered with and unsigned.
    final class SignedBuildinfos {
        let homes = "/tmp/pgp-\(UUID().uuidString.prefix(6))"
        var signer: String { homes + "/s" }
        var keyring: String { homes + "/k" }
        let name = "bash_5.1-2+b3_amd64.buildinfo"

        init() throws {
            for home in [signer, keyring] {
                try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            let gpg = ["--batch", "--quiet", "--pinentry-mode", "loopback", "--passphrase", ""]
            try SshdFixture.run("/usr/bin/gpg", ["--homedir", signer] + gpg + ["--quick-gen-key", "Test Buildd <buildd@example.org>", "ed25519", "sign", "never"])
            try SshdFixture.run("/usr/bin/gpg", ["--homedir", signer, "--batch", "--output", homes + "/public.asc", "--armor", "--export"])
            try SshdFixture.run("/usr/bin/gpg", ["--homedir", keyring, "--batch", "--quiet", "--import", homes + "/public.asc"])
            for directory in ["signed", "tampered", "unsigned"] {
                try FileManager.default.createDirectory(atPath: "\(homes)/\(directory)", withIntermediateDirectories: true)
            }
            try FileManager.default.copyItem(atPath: BuildStageTests.fakeBash, toPath: "\(homes)/unsigned/\(name)")
            try SshdFixture.run("/usr/bin/gpg", ["--homedir", signer] + gpg + ["--output", "\(homes)/signed/\(name)", "--clearsign", BuildStageTests.fakeBash])
            let signed = try String(contentsOfFile: "\(homes)/signed/\(name)", encoding: .utf8)
            try signed.replacingOccurrences(of: "Binary: bash bash-static", with: "Binary: bash bash-statik")
                .write(toFile: "\(homes)/tampered/\(name)", atomically: true, encoding: .utf8)
        }

        func file(_ kind: String) -> String { "\(homes)/\(kind)/\(name)" }

        deinit {
            for home in [signer, keyring] { try? SshdFixture.run("/usr/bin/gpgconf", ["--homedir", home, "--kill", "gpg-agent"]) }
            try? FileManager.default.removeItem(atPath: homes)
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gpg")))
    func signedBuildinfoFilesAreVerifiedAndUnsignedOrTamperedOnesRefused() throws {
        let files = try SignedBuildinfos()
        let (homes, keyring, name) = (files.homes, files.keyring, files.name)
        let fixture = try commandFixture("exit 0", build: "buildinfo-keyring = \(keyring)\nftbfs-attempts = 1")
        try fixture.startStage("build")
        let ids = try fixture.submit(["signed", "tampered", "unsigned"].map { "\(homes)/\($0)/\(name)" })
        #expect(fixture.waitUntil(seconds: 60) { fixture.entries(.attesting).count + fixture.entries(.failed).count == 3 },
                "\(fixture.daemonLogs())")
        #expect(fixture.entries(.attesting) == [ids[0]])
        #expect(try result(fixture, ids[0]).signer?.contains("Test Buildd <buildd@example.org>") == true)
        let tamperedReason = try fixture.spool.reason(of: TaskID(ids[1])!) ?? ""
        #expect(tamperedReason.contains("bad signature"), "\(tamperedReason)")
        let unsignedReason = try fixture.spool.reason(of: TaskID(ids[2])!) ?? ""
        #expect(unsignedReason.contains("not signed"), "\(unsignedReason)")
    }

    /// A keyring in a distribution section applies to that distribution's tasks only (their
    /// `distribution` label, which the get stage sets).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gpg")))
    func aDistributionsKeyringAppliesToItsOwnTasks() throws {
        let files = try SignedBuildinfos()
        let fixture = try commandFixture("exit 0", build: "ftbfs-attempts = 1\n[qubesos]\nbuildinfo-keyring = \(files.keyring)")
        try fixture.startStage("build")
        let qubes = try fixture.run(["submit", "--distribution", "qubesos", files.file("unsigned")]).trimmingCharacters(in: .whitespacesAndNewlines)
        let unsigned = fixture.base + "/other/" + files.name
        try FileManager.default.createDirectory(atPath: fixture.base + "/other", withIntermediateDirectories: true)
        try (String(contentsOfFile: files.file("unsigned"), encoding: .utf8) + " \n").write(toFile: unsigned, atomically: true, encoding: .utf8)
        let debian = try fixture.run(["submit", "--distribution", "debian", unsigned]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(fixture.waitUntil(seconds: 60) { fixture.entries(.attesting).count + fixture.entries(.failed).count == 2 },
                "\(fixture.daemonLogs())")
        #expect(fixture.entries(.attesting) == [debian])
        let reason = try fixture.spool.reason(of: TaskID(qubes)!) ?? ""
        #expect(reason.contains("not signed"), "\(reason)")
    }

    @Test func aHeldSourceWaitsInNewWithoutUsingAttemptsUntilReleased() throws {
        let fixture = try commandFixture("exit 0", build: "ftbfs-attempts = 1")
        let holds = Holds(spool: fixture.spool)
        try holds.hold("bash", reason: "held by a test")
        try fixture.startStage("build")
        let id = try TaskID(fixture.submit([BuildStageTests.fakeBash])[0])!
        // Looked at every rescan period (0.5 s) and put back each time: several rounds, no attempt counted.
        #expect(fixture.waitUntil(seconds: 30) {
            ((try? fixture.spool.history(of: id)) ?? []).filter { $0.event == "postponed" }.count >= 3
        }, "\(fixture.daemonLogs())")
        #expect(fixture.entries(.new) == [id.rawValue])
        #expect(try fixture.spool.reason(of: id) == "source bash is held (held by a test)\n")
        try holds.release("bash")
        #expect(fixture.waitUntil(seconds: 30) { fixture.entries(.attesting).count == 1 }, "\(fixture.daemonLogs())")
        #expect(try result(fixture, id.rawValue).attempt == 1)
    }

    @Test func aBuildinfoListingMoreArtifactsThanTheLimitFailsWithTheReason() throws {
        let fixture = try commandFixture("exit 0", build: "max-artifacts = 3")
        let many = fixture.base + "/many_1_amd64.buildinfo"
        let files = (0..<5).map { " \(String(repeating: "a", count: 64)) 1 many\($0)_1_amd64.deb" }.joined(separator: "\n")
        try "Format: 1.0\nSource: many\nBinary: many\nArchitecture: amd64\nVersion: 1\nChecksums-Sha256:\n\(files)\n"
            .write(toFile: many, atomically: true, encoding: .utf8)
        try fixture.startStage("build")
        let id = try fixture.submit([many])[0]
        #expect(fixture.waitUntil(seconds: 30) { fixture.entries(.failed).count == 1 }, "\(fixture.daemonLogs())")
        let reason = try fixture.spool.reason(of: TaskID(id)!) ?? ""
        #expect(reason.contains("many_1_amd64.buildinfo: lists 5 files in Checksums-Sha256, over the limit of 3 ([stage.build] max-artifacts)"), "\(reason)")
        #expect(!FileManager.default.fileExists(atPath: fixture.spool.recordPath(TaskID(id)!, "build/result.json")))
    }

    @Test func underSystemdTheBuildStageRefusesToStartWhereItCanReadTheSigningKeyring() throws {
        let fixture = try commandFixture("exit 0", build: "")
        let keyring = fixture.base + "/gnupg"
        try FileManager.default.createDirectory(atPath: keyring, withIntermediateDirectories: true)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: fixture.configPath))
        handle.seekToEndOfFile()
        handle.write(Data("\n[publish]\ngnupg-home = \(keyring)\n".utf8))
        try handle.close()

        func runOnce(invocation: String?) throws -> (Int32, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: PipelineFixture.binary)
            process.arguments = ["stage", "build", "--once", "--config", fixture.configPath]
            var environment = ProcessInfo.processInfo.environment
            environment["INVOCATION_ID"] = invocation
            process.environment = environment
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        let (refused, message) = try runOnce(invocation: "0123456789abcdef")
        #expect(refused == 78)
        #expect(message.contains("the build stage can read the signing keyring \(keyring)"), "\(message)")
        // Run by hand (no systemd), the same setup is a warning only.
        let (ran, warning) = try runOnce(invocation: nil)
        #expect(ran == 0)
        #expect(warning.contains("warning: the build stage can read the signing keyring"), "\(warning)")
        // Denied (here: gone), it starts under systemd as well.
        try FileManager.default.removeItem(atPath: keyring)
        #expect(try runOnce(invocation: "0123456789abcdef").0 == 0)
    }

    @Test func aMalformedBuildinfoFailsWithTheParsersReason() throws {
        let fixture = try commandFixture("exit 0", build: "")
        let broken = fixture.base + "/broken_1_amd64.buildinfo"
        try "Format: 1.0\nSource: broken\nBinary: broken\nArchitecture: amd64\nVersion: 1\nChecksums-Sha256:\n abc 12 broken_1_amd64.deb\n"
            .write(toFile: broken, atomically: true, encoding: .utf8)
        try fixture.startStage("build")
        let id = try fixture.submit([broken])[0]
        #expect(fixture.waitUntil(seconds: 30) { fixture.entries(.failed).count == 1 }, "\(fixture.daemonLogs())")
        let reason = try fixture.spool.reason(of: TaskID(id)!) ?? ""
        #expect(reason.contains("broken_1_amd64.buildinfo:7"), "\(reason)")
        #expect(reason.contains("Checksums-Sha256"), "\(reason)")
    }
}

/// Command lines of running processes that contain `marker`.
func processesMatching(_ marker: String) -> [String] {
    let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return pids.filter { $0.allSatisfy(\.isNumber) }.compactMap { pid in
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
        let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
        return line.contains(marker) ? "\(pid): \(line)" : nil
    }
}

/// A buildinfo's Environment reaches no backend with a variable dpkg-genbuildinfo never records.
@Suite struct BuildEnvironmentRefusalTests {
    static let backends: [(name: String, settings: String)] = [
        ("snapshot", "backend = snapshot"), ("local", "backend = local\npool = /nonexistent"),
        ("debrebuild", "backend = debrebuild"), ("command", "backend = command"),
    ]

    @Test(arguments: ["LD_PRELOAD=\"/tmp/evil.so\"", "PATH=\"/tmp/evil:/usr/bin\"", "REBUILDER_UNKNOWN=\"1\""])
    func anEnvironmentVariableDpkgNeverRecordsFailsTheTaskBeforeBuildingWithEveryBackend(_ variable: String) throws {
        let name = String(variable.prefix { $0 != "=" })
        for backend in Self.backends {
            let fixture = try PipelineFixture()
            let ran = fixture.base + "/backend-ran"
            let script = fixture.base + "/backend"
            try "#!/bin/sh\ntouch '\(ran)'\n".write(toFile: script, atomically: true, encoding: .utf8)
            chmod(script, 0o755)
            try """
            [common]
            snapshot = http://127.0.0.1:9
            [spool]
            root = \(fixture.spoolRoot)
            rescan-period = 0.5
            [stage.build]
            command = \(script)
            \(backend.settings)
            """.write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
            let buildinfo = fixture.base + "/bash_5.1-2+b3_amd64.buildinfo"
            try String(contentsOfFile: BuildStageTests.fakeBash, encoding: .utf8)
                .replacingOccurrences(of: " LANG=\"C.UTF-8\"\n", with: " LANG=\"C.UTF-8\"\n \(variable)\n")
                .write(toFile: buildinfo, atomically: true, encoding: .utf8)
            try fixture.startStage("build")
            let id = try fixture.submit([buildinfo])[0]
            #expect(fixture.waitUntil(seconds: 30) { fixture.entries(.failed).count == 1 }, "\(backend.name): \(fixture.daemonLogs())")
            let reason = try fixture.spool.reason(of: TaskID(id)!) ?? ""
            #expect(reason.contains("Environment sets \(name), which dpkg-genbuildinfo never records"), "\(backend.name): \(reason)")
            #expect(!FileManager.default.fileExists(atPath: ran), "\(backend.name): the backend ran")
            fixture.stopAll()
        }
    }

    @Test func onTheHostAVariableThatChoosesWhatRunsNeedsAVerifiedSignature() {
        let cc = [EnvironmentVariable(name: "CC", value: "/tmp/evil-cc"), EnvironmentVariable(name: "LANG", value: "C.UTF-8")]
        #expect(BuildEnvironment.refusal(of: cc, onHost: false, signatureVerified: false) == nil)
        #expect(BuildEnvironment.refusal(of: cc, onHost: true, signatureVerified: true) == nil)
        #expect(BuildEnvironment.refusal(of: cc, onHost: true, signatureVerified: false)?.contains("CC, which choose what runs") == true)
        #expect(BuildEnvironment.refusal(of: [cc[1]], onHost: true, signatureVerified: false) == nil)
    }
}
