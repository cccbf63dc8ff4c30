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
