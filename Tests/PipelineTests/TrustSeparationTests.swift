import Attestation
import Foundation
import Glibc
import Spool
import Testing

/// One user per stage, with the owners and modes `rebuilder init --owners` sets: what the build
/// user cannot do, what each stage's own user can, and a whole run (keeper, build, attest) with
/// every process under its own user.
@Suite(.serialized) struct TrustSeparationTests {
    static let available = StageUsers.available && LogKeeperTests.available

    @Test(.enabled(if: available))
    func theBuildUserIsRefusedWhatOnlyOtherStagesMayDoAndEachStageDoesItsOwn() throws {
        let users = try StageUsers()
        let keeper = try KeeperFixture(backend: """
        for i in $(seq 1 50); do echo "built line $i"; done
        id -un > "$out/whoami"
        grep -E '^Cap(Prm|Amb)' /proc/self/status > "$out/capabilities"
        for deb in bash-static_5.1-2+b3_amd64.deb bash_5.1-2+b3_amd64.deb; do head -c 64 /dev/urandom > "$out/$deb"; done
        """, socketDirectory: "run", extraBuildSettings: "build-user = \(users.user("builder"))\ncache = \(FileManager.default.currentDirectoryPath)/.build/trust-cache-\(users.prefix)\n")
        let fixture = keeper.pipeline
        defer { try? FileManager.default.removeItem(atPath: FileManager.default.currentDirectoryPath + "/.build/trust-cache-\(users.prefix)") }
        // gpg-agents started while the keys were made belong to root; each user starts its own.
        for home in [keeper.keeperKeys.home, keeper.attestKeys.home, keeper.keeperRing.home] {
            _ = try? SigningKeys.output("/usr/bin/gpgconf", ["--homedir", home, "--kill", "gpg-agent"])
        }
        try fixture.run(["init", "--owners", "--owner-prefix", users.prefix])

        let keeperProcess = Process()
        keeperProcess.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        keeperProcess.arguments = users.command("logkeeper", [PipelineFixture.binary, "stage", "logkeeper", "--config", fixture.configPath])
        let keeperLog = fixture.base + "/logkeeper-as-user.log"
        FileManager.default.createFile(atPath: keeperLog, contents: nil)
        keeperProcess.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: keeperLog))
        try keeperProcess.run()
        defer { kill(keeperProcess.processIdentifier, SIGTERM); keeperProcess.waitUntilExit() }
        #expect(fixture.waitUntil(seconds: 30) { access(keeper.socket, F_OK) == 0 }, "\((try? String(contentsOfFile: keeperLog, encoding: .utf8)) ?? "")")

        // A task delivered by the get stage's user, claimed by the build stage's.
        let first = try users.run("get", [PipelineFixture.binary, "submit", "--config", fixture.configPath, BuildStageTests.fakeBash])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let spool = fixture.spool
        #expect(try users.attempt("build", "rename", spool.path(.new, first), spool.path(.building, first)) == "ok")

        // The build user: no keys, no log repository, no published tree, no handing a task on.
        let keyring = keeper.attestKeys.home + "/pubring.kbx"
        let logProbe = keeper.repository + "/probe"
        let publishedProbe = keeper.published + "/probe"
        #expect(try users.attempt("builder", "read", keyring) == "EACCES")
        #expect(try users.attempt("builder", "write", logProbe) == "EACCES")
        #expect(try users.attempt("builder", "write", publishedProbe) == "EACCES")
        #expect(try users.attempt("builder", "rename", spool.path(.building, first), spool.path(.attesting, first)) == "EACCES")
        // Nor may the build stage's own user sign or keep logs.
        #expect(try users.attempt("build", "read", keyring) == "EACCES")
        #expect(try users.attempt("build", "write", logProbe) == "EACCES")

        // Each step as its own user.
        #expect(try users.attempt("attest", "read", keyring) == "ok")
        #expect(try users.attempt("logkeeper", "write", logProbe) == "ok")
        #expect(try users.attempt("attest", "write", publishedProbe) == "ok")
        #expect(try users.attempt("report", "write", publishedProbe) == "ok")
        #expect(try users.attempt("build", "rename", spool.path(.building, first), spool.path(.attesting, first)) == "ok")
        #expect(try users.attempt("build", "rename", spool.path(.attesting, first), spool.path(.failed, first)) == "ok")

        // The whole way with every process under its own user: the build runs as the build user,
        // its log is kept, and the attest stage signs after the receipt.
        // Another user's file cannot take a lease: the build stage waits out [spool] settle instead.
        let copy = fixture.base + "/second_5.1-2+b3_amd64.buildinfo"
        try FileManager.default.copyItem(atPath: BuildStageTests.fakeBash, toPath: copy)
        let second = try users.run("get", [PipelineFixture.binary, "submit", "--config", fixture.configPath, copy])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        Thread.sleep(forTimeInterval: 0.3)
        // As the unit runs it: CAP_SETUID and CAP_SETGID as ambient capabilities, to start builds as the build user.
        let buildOutput = try users.run("build", capabilities: ["setuid", "setgid"], ["/bin/sh", "-c", "\"$0\" \"$@\" 2>&1", PipelineFixture.binary, "stage", "build", "--once", "--no-watch", "--config", fixture.configPath])
        let buildLog = (try? String(contentsOfFile: spool.recordPath(TaskID(second)!, "build.log"), encoding: .utf8)) ?? "no build.log"
        #expect(fixture.entries(.attesting) == [second], "\(buildOutput)\n\(buildLog) \((try? spool.reason(of: TaskID(second)!)) ?? nil ?? "")")
        let whoami = try String(contentsOfFile: spool.recordPath(TaskID(second)!, "build/output/whoami"), encoding: .utf8)
        #expect(whoami == users.user("builder") + "\n")
        let capabilities = try String(contentsOfFile: spool.recordPath(TaskID(second)!, "build/output/capabilities"), encoding: .utf8)
        #expect(capabilities == "CapPrm:\t0000000000000000\nCapAmb:\t0000000000000000\n", "the build has no capability")
        #expect(fixture.waitUntil(seconds: 30) { FileManager.default.fileExists(atPath: keeper.receipt(second, attempt: 1)) },
                "\((try? String(contentsOfFile: keeperLog, encoding: .utf8)) ?? "")")
        try users.run("attest", [PipelineFixture.binary, "stage", "attest", "--once", "--no-watch", "--config", fixture.configPath])
        let attestReason = (try? spool.reason(of: TaskID(second)!)) ?? nil
        #expect(fixture.entries(.reporting) == [second], "\(attestReason ?? "")")
        let record = try String(contentsOfFile: spool.recordPath(TaskID(second)!, "attest/attestation.json"), encoding: .utf8)
        #expect(record.contains(try keeper.receiptFields(second, attempt: 1)["Commit"]!), "\(record)")
    }

    /// The webhook receiver may only drop get requests and command files; the commands stage alone
    /// reads the commands keyring, and requeues another stage's task from uploaded/ as its own user.
    @Test(.enabled(if: StageUsers.available))
    func theWebhookUserOnlyDropsRequestsAndTheCommandsUserRequeuesAsItself() throws {
        let users = try StageUsers()
        let desk = try SignedCommandStageTests.Desk()
        let fixture = desk.fixture
        try SignedCommandStageTests.failedTask(desk)
        let spool = fixture.spool
        let task = "hello_2.10-3_amd64.buildinfo"
        #expect(rename(spool.path(.failed, task), spool.path(.uploaded, task)) == 0)
        _ = try? SigningKeys.output("/usr/bin/gpgconf", ["--homedir", desk.keyring.home, "--kill", "gpg-agent"])
        try fixture.run(["init", "--owners", "--owner-prefix", users.prefix])

        let requests = fixture.spoolRoot + "/get/requests"
        let keyring = desk.keyring.home + "/pubring.kbx"
        let sent = desk.inbox + "/sent.asc"
        #expect(FileManager.default.createFile(atPath: sent, contents: Data(try desk.sign("Hold hello \(SignedCommandStageTests.stamp(0))\n").utf8)))
        #expect(chown(sent, getpwnam(users.user("commands"))!.pointee.pw_uid, getgrnam(users.user("commands"))!.pointee.gr_gid) == 0)
        #expect(chmod(sent, 0o640) == 0)
        #expect(try users.attempt("webhook", "write", requests + "/probe") == "ok")
        #expect(try users.attempt("webhook", "write", desk.inbox + "/probe.asc") == "ok")
        #expect(try users.attempt("webhook", "read", sent) == "EACCES")
        #expect(try users.attempt("webhook", "read", keyring) == "EACCES")
        #expect(try users.attempt("webhook", "write", spool.path(.new, "probe")) == "EACCES")
        #expect(try users.attempt("webhook", "write", fixture.spoolRoot + "/holds/probe") == "EACCES")
        #expect(try users.attempt("build", "read", keyring) == "EACCES")
        #expect(try users.attempt("build", "write", fixture.spoolRoot + "/holds/probe") == "EACCES")
        #expect(try users.attempt("commands", "read", keyring) == "ok")
        #expect(try users.attempt("commands", "write", requests + "/probe") == "ok")

        // A Rebuild signed for a task another stage's user left in uploaded/, carried out by the
        // commands stage as its own user; then the Hold dropped above.
        try desk.drop("rebuild.asc", try desk.sign("Rebuild \(SignedCommandStageTests.spec) hello 2.10-3 \(SignedCommandStageTests.stamp(0))\n"))
        #expect(chown(desk.inbox + "/rebuild.asc", getpwnam(users.user("webhook"))!.pointee.pw_uid, getgrnam(users.user("webhook"))!.pointee.gr_gid) == 0)
        let log = try users.run("commands", ["/bin/sh", "-c", "\"$0\" \"$@\" 2>&1", PipelineFixture.binary, "stage", "commands", "--once", "--config", fixture.configPath])
        #expect(fixture.entries(.new) == [task], "\(log)")
        #expect(desk.note("done", "rebuild.asc").contains("requeued 1 task(s): \(task)"), "\(log)")
        #expect(FileManager.default.fileExists(atPath: fixture.spoolRoot + "/holds/hello"), "\(log)")
    }
}
