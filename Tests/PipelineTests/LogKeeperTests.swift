import Attestation
import Foundation
import Glibc
import LogKeeping
import OpenPGP
import Rebuild
import Spool
import Testing

/// The log keeper with the real build and attest stages: logs streamed while the build runs,
/// committed signed and pushed, receipts the attest stage insists on.
@Suite(.serialized) struct LogKeeperTests {
    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/gpg") && FileManager.default.isExecutableFile(atPath: "/usr/bin/git")

    /// First run: prints a line every 20 ms until it is killed. Later runs: 300 lines, then two
    /// rebuilt files that differ from the shipped ones.
    static let backend = """
    if [ ! -e "$state/ran" ]; then
      touch "$state/ran"; i=0
      while :; do i=$((i + 1)); echo "first attempt line $i"; sleep 0.02; done
    fi
    for i in $(seq 1 300); do echo "second attempt line $i"; done
    for deb in bash-static_5.1-2+b3_amd64.deb bash_5.1-2+b3_amd64.deb; do head -c 64 /dev/urandom > "$out/$deb"; done
    """

    static func lines(of path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test(.enabled(if: available && SshdFixture.available))
    func aBuildKilledMidLogLeavesAKeptLogAndItsRetryIsSignedAfterItsOwnReceipt() throws {
        let keeper = try KeeperFixture(backend: Self.backend, push: true)
        let fixture = keeper.pipeline
        try keeper.startKeeper()
        let build = try fixture.startStage("build")
        let id = try fixture.submit([BuildStageTests.fakeBash])[0]
        let incoming = keeper.directory + "/incoming"
        let streaming = fixture.waitUntil(seconds: 60) {
            let logs = ((try? FileManager.default.contentsOfDirectory(atPath: incoming)) ?? []).filter { $0.hasSuffix(".log") }
            return logs.contains { ((try? Self.lines(of: "\(incoming)/\($0)")) ?? []).count > 20 }
        }
        #expect(streaming, "\(fixture.daemonLogs())")
        fixture.kill9(build)

        // The keeper finishes the cut-off log itself: committed, signed, pushed, with a receipt.
        #expect(fixture.waitUntil(seconds: 60) { FileManager.default.fileExists(atPath: keeper.receipt(id, attempt: 1)) }, "\(fixture.daemonLogs())")
        let first = try keeper.receiptFields(id, attempt: 1)
        let firstLines = try Self.lines(of: "\(keeper.repository)/\(first["Log"]!)")
        #expect(firstLines.first?.contains("# log of task \(id) attempt 1 of debian, sent by pid") == true)
        #expect(firstLines.last?.contains("# the sender (pid \(build.processIdentifier) uid \(getuid()) gid \(getgid())) went away without ending the log") == true,
                "\(firstLines.suffix(3))")
        let numbered = firstLines.dropFirst().dropLast()
        #expect(numbered.enumerated().allSatisfy { $0.element.hasSuffix(" | first attempt line \($0.offset + 1)") }, "no line lost or changed")

        // Recovery gives the task another attempt, with its own log and receipt.
        try fixture.startStage("build")
        #expect(fixture.waitUntil(seconds: 60) { fixture.entries(.attesting).count == 1 }, "\(fixture.daemonLogs())")
        #expect(fixture.waitUntil(seconds: 60) { FileManager.default.fileExists(atPath: keeper.receipt(id, attempt: 2)) }, "\(fixture.daemonLogs())")
        let second = try keeper.receiptFields(id, attempt: 2)
        #expect(second["Log"] != first["Log"])
        let secondLines = try Self.lines(of: "\(keeper.repository)/\(second["Log"]!)")
        #expect(secondLines.filter { $0.contains(" | second attempt line ") }.count == 300)
        #expect(secondLines.last?.contains("# end of log; the sender says: the command backend ended: exited(0)") == true, "\(secondLines.suffix(2))")

        // Signed after the receipt of the attempt that built it, and the link says which log.
        try fixture.run(["stage", "attest", "--once", "--no-watch"])
        #expect(fixture.entries(.reporting).count == 1, "\(fixture.daemonLogs())")
        let link = "\(keeper.published)/debian/unreproducible/sources/bash/5.1-2+b3/rebuild.\(keeper.attestFingerprint.lowercased().prefix(8)).amd64.link"
        let signed = try Metablock(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: link)))).signed
        #expect(try RebuildLink(signed: signed).logs == [RebuildLink.KeptLog(path: second["Log"]!, commit: second["Commit"]!, sha256: second["Log-SHA256"]!)])
        // A link that names its log still passes Debian's in-toto-verify and `rebuilder verify`.
        let owner = try keeper.attestKeys.generate("layout-owner", algorithm: "ed25519")
        let layout = fixture.base + "/root.layout"
        try fixture.run(["layout", "--key", keeper.attestFingerprint, "--threshold", "1", "--keyring", keeper.attestKeys.home,
                         "--output", layout + ".unsigned"], withConfig: false)
        try SigningKeys.output("/usr/bin/in-toto-sign", ["-f", layout + ".unsigned", "--gpg", owner, "--gpg-home", keeper.attestKeys.home, "-o", layout])
        let verifyDirectory = fixture.base + "/verify"
        try FileManager.default.createDirectory(atPath: verifyDirectory, withIntermediateDirectories: true)
        let deb = "bash_5.1-2+b3_amd64.deb"
        try FileManager.default.copyItem(atPath: fixture.spool.recordPath(TaskID(id)!, "build/output/\(deb)"), toPath: "\(verifyDirectory)/\(deb)")
        let merged = (link as NSString).deletingLastPathComponent + "/rebuild.\(keeper.attestFingerprint.lowercased().prefix(8)).link"
        try FileManager.default.copyItem(atPath: merged, toPath: "\(verifyDirectory)/rebuild.\(keeper.attestFingerprint.lowercased().prefix(8)).link")
        try SigningKeys.output("/usr/bin/in-toto-verify", ["-l", layout, "--gpg", owner, "--gpg-home", keeper.attestKeys.home], directory: verifyDirectory)
        let verified = try fixture.run(["verify", "\(verifyDirectory)/\(deb)", "--rebuilder", keeper.published + "/debian/unreproducible",
                                        "--layout", layout, "--layout-key", owner, "--keyring", keeper.attestKeys.home], withConfig: false)
        #expect(verified.contains("PASS"), "\(verified)")

        let shown = try fixture.run(["show", id])
        #expect(shown.contains("build log kept: \(second["Log"]!) (sha256 \(second["Log-SHA256"]!)) in commit \(second["Commit"]!)"), "\(shown)")

        // Every commit verifies with the keeper's public key, and the pushed repository is the same.
        let commits = try keeper.git(["rev-list", "HEAD"], in: keeper.repository).split(separator: "\n")
        #expect(commits.count == 2)
        let signatures = try keeper.git(["log", "--show-signature"], in: keeper.repository)
        #expect(signatures.components(separatedBy: "Good signature from \"logkeeper").count - 1 == commits.count, "\(signatures)")
        for commit in commits { _ = try keeper.git(["verify-commit", String(commit)], in: keeper.repository) }
        #expect(try keeper.git(["rev-parse", "main"], in: keeper.bareRepository) == keeper.git(["rev-parse", "HEAD"], in: keeper.repository))

        // A receipt is good only for its own task and attempt, signed by the keeper, over the log as committed.
        let check = ReceiptCheck(directory: keeper.directory, keyring: keeper.keeperRing.home)
        let task = TaskID(id)!
        guard case .kept = check.check(task: task, attempt: 2) else { Issue.record("the good receipt was refused"); return }
        #expect(check.check(task: task, attempt: 7) == .missing(path: keeper.receipt(id, attempt: 7)))
        for suffix in ["", ".sig"] {
            try FileManager.default.copyItem(atPath: keeper.receipt(id, attempt: 1) + suffix, toPath: keeper.receipt(id, attempt: 5) + suffix)
        }
        guard case .refused(let otherAttempt) = check.check(task: task, attempt: 5) else { Issue.record("a receipt of attempt 1 passed for 5"); return }
        #expect(otherAttempt.contains("is for task \(id) attempt 1, not \(id) attempt 5"))

        let forger = try SigningKeys()
        let forgerKey = try forger.generate("forger", algorithm: "ed25519")
        let signature = keeper.receipt(id, attempt: 2) + ".sig"
        let genuine = try Data(contentsOf: URL(fileURLWithPath: signature))
        let receiptText = Array(try Data(contentsOf: URL(fileURLWithPath: keeper.receipt(id, attempt: 2))))
        try Data(try DetachedSigner(home: forger.home, fingerprint: forgerKey).sign(receiptText).bytes).write(to: URL(fileURLWithPath: signature))
        guard case .refused(let forged) = check.check(task: task, attempt: 2) else { Issue.record("a forged receipt passed"); return }
        #expect(forged.contains("verify signature"), "\(forged)")
        try genuine.write(to: URL(fileURLWithPath: signature))

        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(keeper.repository)/\(second["Log"]!)"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("2026-12-05T00:00:00.000000Z | nothing happened here\n".utf8))
        try handle.close()
        guard case .refused(let altered) = check.check(task: task, attempt: 2) else { Issue.record("an altered log passed"); return }
        #expect(altered.contains("the log changed after its receipt"), "\(altered)")
    }
}

extension LogKeeperTests {
    @Test(.enabled(if: available))
    func theAttestStageWaitsForAMissingReceiptThenGivesUpAndRefusesAForgedOne() throws {
        let keeper = try KeeperFixture(backend: "exit 1", receiptAttempts: 2)
        let fixture = keeper.pipeline
        let differing = [BuiltTask.Deb(name: "hello_2.10-3_amd64.deb", shipped: Array("shipped".utf8), rebuilt: Array("rebuilt".utf8))]
        let waiting = try BuiltTask(source: "hello", version: "2.10-3", architecture: "amd64", debs: differing).place(in: fixture)
        let forged = try BuiltTask(source: "forged", version: "1.0-1", architecture: "amd64",
                                   debs: [.init(name: "forged_1.0-1_amd64.deb", shipped: Array("a".utf8), rebuilt: Array("b".utf8))]).place(in: fixture)

        // A receipt for `forged`, its text as the keeper writes it, signed by a key the keeper never had.
        let forger = try SigningKeys()
        let forgerKey = try forger.generate("forger", algorithm: "ed25519")
        let receipt = LogReceipt(task: TaskID(forged)!, attempt: 1, project: try ProjectPath("debian"), log: "debian/\(forged)/x.log",
                                 logSHA256: String(repeating: "0", count: 64), commit: String(repeating: "1", count: 40),
                                 time: "2026-12-05T08:00:00.000000Z", sender: "pid 1 uid 0 gid 0")
        try FileManager.default.createDirectory(atPath: "\(keeper.directory)/receipts/\(forged)", withIntermediateDirectories: true)
        try Data(receipt.text.utf8).write(to: URL(fileURLWithPath: keeper.receipt(forged, attempt: 1)))
        let signature = try DetachedSigner(home: forger.home, fingerprint: forgerKey).sign(Array(receipt.text.utf8))
        try Data(signature.bytes).write(to: URL(fileURLWithPath: keeper.receipt(forged, attempt: 1) + ".sig"))

        try fixture.run(["stage", "attest", "--once", "--no-watch"])
        let forgedReason = try fixture.spool.reason(of: TaskID(forged)!) ?? ""
        #expect(fixture.entries(.failed) == [forged], "\(fixture.daemonLogs())")
        #expect(forgedReason.contains("not signed: the build log's receipt does not hold"), "\(forgedReason)")
        let history = try fixture.spool.history(of: TaskID(waiting)!)
        #expect(history.last?.detail.contains("waiting for the log keeper's receipt") == true, "\(history)")

        Thread.sleep(forTimeInterval: 0.3)
        try fixture.run(["stage", "attest", "--once", "--no-watch"])
        #expect(fixture.entries(.failed).sorted() == [forged, waiting].sorted())
        let waitingReason = try fixture.spool.reason(of: TaskID(waiting)!) ?? ""
        #expect(waitingReason.contains("gave up after 2 attempts; the last: waiting for the log keeper's receipt"), "\(waitingReason)")
        #expect(!FileManager.default.fileExists(atPath: keeper.published + "/debian"), "nothing is published without a good receipt")
    }

    @Test(.enabled(if: available))
    func aKeeperKilledMidStreamFinishesTheLogWhenItStartsAgain() throws {
        let keeper = try KeeperFixture(backend: "exit 1")
        let fixture = keeper.pipeline
        let first = try keeper.startKeeper()
        let task = TaskID("cut_1.0-1_amd64.buildinfo")!
        let sender = try LogSender(socket: keeper.socket, header: LogStreamHeader(task: task, attempt: 1, project: try ProjectPath("debian")))
        Array((1...100).map { "before the kill \($0)\n" }.joined().utf8).withUnsafeBytes { sender.send($0) }
        let incoming = keeper.directory + "/incoming"
        #expect(fixture.waitUntil(seconds: 30) {
            ((try? FileManager.default.contentsOfDirectory(atPath: incoming)) ?? []).contains { name in
                name.hasSuffix(".log") && ((try? Self.lines(of: "\(incoming)/\(name)")) ?? []).count == 101
            }
        })
        fixture.kill9(first)
        #expect(fixture.waitUntil(seconds: 10) {
            Array("after the kill\n".utf8).withUnsafeBytes { sender.send($0) }
            return sender.broken != nil
        }, "a sender learns that the keeper went away")

        try keeper.startKeeper()
        #expect(fixture.waitUntil(seconds: 30) { FileManager.default.fileExists(atPath: keeper.receipt(task.rawValue, attempt: 1)) }, "\(fixture.daemonLogs())")
        let kept = try Self.lines(of: "\(keeper.repository)/\(try keeper.receiptFields(task.rawValue, attempt: 1)["Log"]!)")
        #expect(kept.filter { $0.contains(" | before the kill ") }.count == 100)
        #expect(kept.last?.contains("# the log keeper stopped before this log ended") == true, "\(kept.suffix(2))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: incoming).isEmpty)
    }

    @Test(.enabled(if: available))
    func twentyBuildsLoggingAtOnceLoseNoLineAndTheKeeperStaysSmall() throws {
        let keeper = try KeeperFixture(backend: "exit 1")
        let fixture = keeper.pipeline
        let process = try keeper.startKeeper()
        let streams = 20
        let linesEach = 20_000
        let socket = keeper.socket
        DispatchQueue.concurrentPerform(iterations: streams) { stream in
            guard let sender = try? LogSender(socket: socket, header: LogStreamHeader(
                task: TaskID("load\(stream)_1.0-1_amd64.buildinfo")!, attempt: 1, project: try! ProjectPath("debian"))) else { return }
            var generator = SystemRandomNumberGenerator()
            let text = Array((1...linesEach).map { "stream \(stream) line \($0) \(String(repeating: "x", count: $0 % 97))\n" }.joined().utf8)
            var offset = 0
            while offset < text.count {
                let end = min(text.count, offset + Int.random(in: 1...9000, using: &generator))
                text[offset..<end].withUnsafeBytes { sender.send($0) }
                offset = end
            }
            sender.end("exited(0)")
        }
        let receipts = (0..<streams).map { keeper.receipt("load\($0)_1.0-1_amd64.buildinfo", attempt: 1) }
        #expect(fixture.waitUntil(seconds: 120) { receipts.allSatisfy { FileManager.default.fileExists(atPath: $0) } }, "\(fixture.daemonLogs())")
        for stream in 0..<streams {
            let log = try keeper.receiptFields("load\(stream)_1.0-1_amd64.buildinfo", attempt: 1)["Log"]!
            let sent = try Self.lines(of: "\(keeper.repository)/\(log)").filter { $0.contains(" | ") }
            #expect(sent.count == linesEach, "stream \(stream)")
            #expect(sent.enumerated().allSatisfy { $0.element.hasSuffix(" | stream \(stream) line \($0.offset + 1) \(String(repeating: "x", count: ($0.offset + 1) % 97))") },
                    "stream \(stream): every line arrives whole and in order")
        }
        let status = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }.map(String.init) ?? "?"
        print("log keeper after \(streams) streams of \(linesEach) lines: \(peak)")
        let peakKiB = Int(peak.split(separator: " ").dropFirst().first ?? "") ?? Int.max
        #expect(peakKiB < 200 << 10, "\(peak)")
    }
}
