import Foundation
import Rebuild
import Spool
import Testing

/// `rebuilder stage commands` over real signatures: keys made by `gpg --batch`, the commands
/// keyring holding only public keys, the stage run as the binary is run in production.
@Suite(.serialized) struct SignedCommandStageTests {
    static let spec = "unstable+test.amd64"

    final class Desk {
        let fixture: PipelineFixture
        let signers = try! SigningKeys()
        let keyring = try! SigningKeys()
        let alice: String, bob: String, carol: String
        var inbox: String { fixture.base + "/commands/inbox" }
        var commands: String { fixture.base + "/commands" }

        init() throws {
            alice = try signers.generate("alice", algorithm: "ed25519")
            bob = try signers.generate("bob", algorithm: "ed25519")
            carol = try signers.generate("carol", algorithm: "rsa2048")
            _ = try signers.generate("mallory", algorithm: "ed25519")
            // The commands keyring: public keys only, and not mallory's.
            let exported = signers.home + "/public.asc"
            try signers.gpg(["--armor", "--output", exported, "--export", alice, bob, carol])
            try keyring.gpg(["--import", exported])
            fixture = try PipelineFixture(sections: """
                [debian]
                dist = \(SignedCommandStageTests.spec) bookworm+test.amd64

                [commands]
                directory = \(Self.placeholder)/commands
                keyring = \(keyring.home)
                signer.\(alice) = * for \(SignedCommandStageTests.spec)
                signer.\(bob) = Rebuild Retry for bookworm+test.amd64

                """)
            // The fixture's base is known only once it exists.
            let config = try String(contentsOfFile: fixture.configPath, encoding: .utf8)
            try config.replacingOccurrences(of: Self.placeholder + "/commands", with: fixture.base + "/commands").write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
            try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        }

        static let placeholder = "/BASE"

        /// `text` clearsigned by `users` (their names), with gpg's extra arguments.
        func sign(_ text: String, by users: [String] = ["alice"], extra: [String] = []) throws -> String {
            let input = signers.home + "/command.txt"
            try text.write(toFile: input, atomically: true, encoding: .utf8)
            return try signers.gpg(users.flatMap { ["--local-user", "\($0)@rebuilder.example"] } + extra + ["--output", "-", "--clearsign", input])
        }

        func drop(_ name: String, _ content: String) throws {
            try content.write(toFile: "\(inbox)/\(name)", atomically: true, encoding: .utf8)
        }

        /// One pass of the stage; its log.
        func runStage() throws -> String {
            let result = try fixture.runCapturing(["stage", "commands", "--once"])
            #expect(result.status == 0, "\(result.errors)")
            return result.errors
        }

        func note(_ directory: String, _ name: String) -> String {
            (try? String(contentsOfFile: "\(commands)/\(directory)/\(name).\(directory == "done" ? "result" : "reason")", encoding: .utf8)) ?? ""
        }

        func queued() -> [String] {
            fixture.entries(.new) + ((try? FileManager.default.contentsOfDirectory(atPath: fixture.spoolRoot + "/get/requests")) ?? [])
                + ((try? FileManager.default.contentsOfDirectory(atPath: fixture.spoolRoot + "/holds")) ?? [])
        }
    }

    static func stamp(_ offset: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSinceNow: offset))
    }

    /// hello 2.10-3 delivered for the spec and then failed: what a Rebuild command brings back.
    static func failedTask(_ desk: Desk) throws {
        let file = desk.fixture.base + "/hello_2.10-3_amd64.buildinfo"
        try GetStageTests.buildinfo("hello", "2.10-3", "amd64").write(toFile: file, atomically: true, encoding: .utf8)
        _ = try desk.fixture.run(["submit", "--distribution", "debian", "--dist", spec, file])
        let spool = desk.fixture.spool
        #expect(rename(spool.path(.new, "hello_2.10-3_amd64.buildinfo"), spool.path(.failed, "hello_2.10-3_amd64.buildinfo")) == 0)
    }

    @Test func aGoodCommandQueuesItsTaskAndEveryBadOneIsRefusedWithItsReason() throws {
        let desk = try Desk()
        try Self.failedTask(desk)
        let rebuild = "Rebuild \(Self.spec) hello 2.10-3 \(Self.stamp(0))\n"
        let good = try desk.sign(rebuild)

        let refusals: [(String, String, String)] = [
            ("stale.asc", try desk.sign("Rebuild \(Self.spec) hello 2.10-3 \(Self.stamp(-2 * 3600))\n"), "stale: its timestamp is"),
            ("future.asc", try desk.sign("Rebuild \(Self.spec) hello 2.10-3 \(Self.stamp(600))\n"), "from the future"),
            ("unknown.asc", try desk.sign(rebuild, by: ["mallory"]), "signed by unknown key"),
            ("unlisted.asc", try desk.sign(rebuild, by: ["carol"]), "may sign no command"),
            ("other-dist.asc", try desk.sign(rebuild, by: ["bob"]), "may not command \(Self.spec)"),
            ("two.asc", try desk.sign(rebuild, by: ["alice", "carol"]), "2 signatures; exactly one is accepted"),
            ("sha1.asc", try desk.sign(rebuild, extra: ["--digest-algo", "SHA1"]), "signed with SHA-1"),
            ("trailing.asc", good + "Retry \(Self.spec) failed \(Self.stamp(0))\n", "not one clearsigned message and nothing else"),
            ("unsigned.asc", rebuild, "not signed"),
            ("altered.asc", good.replacingOccurrences(of: "hello 2.10-3", with: "hello 2.10-4"), "bad signature"),
        ]
        for (name, content, _) in refusals { try desk.drop(name, content) }
        var log = try desk.runStage()
        for (name, _, reason) in refusals {
            #expect(desk.note("refused", name).contains(reason), "\(name): \(desk.note("refused", name))")
            #expect(FileManager.default.fileExists(atPath: "\(desk.commands)/refused/\(name)"), "\(name)")
            #expect(log.contains("\(name): refused (signer "), "\(name): \(log)")
        }
        #expect(desk.queued().isEmpty, "nothing queued by a refused command: \(desk.queued())")
        #expect(desk.fixture.entries(.failed) == ["hello_2.10-3_amd64.buildinfo"])
        #expect(log.contains("other-dist.asc: refused (signer \(desk.bob) (bob <bob@rebuilder.example>))"), "\(log)")

        // The good one: the failed task goes back to new/, the decision logged with its signer.
        try desk.drop("good.asc", good)
        log = try desk.runStage()
        #expect(desk.fixture.entries(.new) == ["hello_2.10-3_amd64.buildinfo"])
        #expect(desk.note("done", "good.asc").contains("Rebuild: requeued 1 task(s): hello_2.10-3_amd64.buildinfo"), "\(desk.note("done", "good.asc"))")
        #expect(log.contains("good.asc: accepted from \(desk.alice) (alice <alice@rebuilder.example>): Rebuild: requeued 1"), "\(log)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: desk.inbox).isEmpty)

        // Its replay, after a restart of the stage (each pass is a new process), is refused.
        #expect(rename(desk.fixture.spool.path(.new, "hello_2.10-3_amd64.buildinfo"), desk.fixture.spool.path(.failed, "hello_2.10-3_amd64.buildinfo")) == 0)
        try desk.drop("replay.asc", good)
        log = try desk.runStage()
        #expect(desk.note("refused", "replay.asc").contains("a replay: this signed command was already carried out (as good.asc)"))
        #expect(desk.fixture.entries(.new).isEmpty)
    }

    @Test func retryUnreproducibleTakesOnlyTheUnreproducibleOfItsSpec() throws {
        let desk = try Desk()
        let spool = desk.fixture.spool
        var ids: [String] = []
        for (source, verdict) in [("hello", Verdict.unreproducible), ("bash", .reproducible), ("dash", .unreproducible)] {
            let file = "\(desk.fixture.base)/\(source)_1.0-1_amd64.buildinfo"
            try GetStageTests.buildinfo(source, "1.0-1", "amd64").write(toFile: file, atomically: true, encoding: .utf8)
            // dash belongs to the other spec.
            let spec = source == "dash" ? "bookworm+test.amd64" : Self.spec
            let id = try desk.fixture.run(["submit", "--distribution", "debian", "--dist", spec, file]).trimmingCharacters(in: .whitespacesAndNewlines)
            let record = RebuildRecord(task: id, source: source, version: "1.0-1", verdict: verdict, backend: "local", attempt: 1,
                                       started: "2026-12-05T08:00:00Z", durationSeconds: 1, backendExit: "exit 0", logTruncated: false, artifacts: [])
            try FileManager.default.createDirectory(atPath: spool.recordPath(TaskID(id)!, "build"), withIntermediateDirectories: true)
            try record.json().write(to: URL(fileURLWithPath: spool.recordPath(TaskID(id)!, "build/result.json")))
            #expect(rename(spool.path(.new, id), spool.path(.uploaded, id)) == 0)
            ids.append(id)
        }
        try desk.drop("retry.asc", try desk.sign("Retry \(Self.spec) unreproducible \(Self.stamp(0))\n"))
        _ = try desk.runStage()
        #expect(desk.fixture.entries(.new) == [ids[0]], "\(desk.note("done", "retry.asc"))")
        #expect(desk.fixture.entries(.uploaded).sorted() == [ids[1], ids[2]].sorted())
        #expect(desk.note("done", "retry.asc").contains("Retry: requeued 1 task(s) from uploaded/: \(ids[0])"))
    }

    @Test func theDaemonTakesEachFileAsItArrivesAndStopsOnSIGTERM() throws {
        let desk = try Desk()
        let daemon = try desk.fixture.startStage("commands")
        // Written under a hidden name and renamed in, as the webhook receiver writes.
        for (index, source) in ["hello", "bash"].enumerated() {
            let hidden = "\(desk.inbox)/.hold-\(index)"
            try desk.sign("Hold \(source) \(Self.stamp(0))\n").write(toFile: hidden, atomically: false, encoding: .utf8)
            #expect(rename(hidden, "\(desk.inbox)/hold-\(index).asc") == 0)
        }
        #expect(desk.fixture.waitUntil(seconds: 20) {
            FileManager.default.fileExists(atPath: desk.fixture.spoolRoot + "/holds/hello") && FileManager.default.fileExists(atPath: desk.fixture.spoolRoot + "/holds/bash")
        }, "\(desk.fixture.daemonLogs())")
        kill(daemon.processIdentifier, SIGTERM)
        #expect(desk.fixture.waitUntil(seconds: 10) { !daemon.isRunning })
        #expect(daemon.terminationStatus == 0)
    }

    @Test func holdReleaseAndARebuildOfWhatTheSpoolHasNotSeen() throws {
        let desk = try Desk()
        try desk.drop("1-hold.asc", try desk.sign("Hold hello \(Self.stamp(0))\n"))
        try desk.drop("2-rebuild.asc", try desk.sign("Rebuild \(Self.spec) bash 5.2-1 \(Self.stamp(0))\n"))
        _ = try desk.runStage()
        let hold = try String(contentsOfFile: desk.fixture.spoolRoot + "/holds/hello", encoding: .utf8)
        #expect(hold.hasPrefix("held by \(desk.alice)"), "\(hold)")
        let requests = try FileManager.default.contentsOfDirectory(atPath: desk.fixture.spoolRoot + "/get/requests")
        #expect(requests.count == 1)
        #expect(try String(contentsOfFile: desk.fixture.spoolRoot + "/get/requests/" + requests[0], encoding: .utf8) == "\(Self.spec)\n")
        #expect(desk.note("done", "2-rebuild.asc").contains("asked the get stage for \(Self.spec)"))

        try desk.drop("3-release.asc", try desk.sign("Release hello \(Self.stamp(0))\n"))
        _ = try desk.runStage()
        #expect(!FileManager.default.fileExists(atPath: desk.fixture.spoolRoot + "/holds/hello"))
        #expect(desk.note("done", "3-release.asc").contains("Release: released hello"))
    }
}
