import Foundation
@testable import Notifications
import Rebuild
import Spool
import Testing

/// Retries and give-ups, with real receivers: a closed port on 127.0.0.1 and commands.
@Suite struct DeliveryTests {
    let spool: FinishedSpool
    let log = CollectedLog()
    let name = "hello_1.0_amd64.buildinfo"

    init() throws {
        spool = try FinishedSpool()
        try spool.uploaded(name, artifacts: SummaryTests.artifacts, logLines: ["built"])
    }

    func notifier(_ receivers: [Receiver], attempts: Int = 3, delay: Double = 0.05, maxAge: Double = 3600) -> FinishNotifier {
        FinishNotifier(options: NotifyOptions(spool: spool.spool, receivers: receivers,
                                              policy: RetryPolicy(maxAttempts: attempts, backoffSeconds: delay, maxBackoffSeconds: 3600),
                                              timeoutSeconds: 5, maxAgeSeconds: maxAge),
                       logger: log.logger)
    }

    /// Looks at the task until nothing is left to do (waiting for each retry); returns how many looks it took.
    @discardableResult
    func lookUntilSettled(_ notifier: FinishNotifier, in directory: SpoolDirectory = .uploaded) -> Int {
        let sender = NotificationSender(timeoutSeconds: 5)
        for look in 1...20 {
            switch notifier.look(at: name, in: directory, sender: sender) {
            case .settled: return look
            case .later(let due): Thread.sleep(forTimeInterval: max(0, due - Timestamp.now()))
            }
        }
        Issue.record("not settled after 20 looks")
        return 20
    }

    func record(_ directory: SpoolDirectory = .uploaded) throws -> DeliveryRecord? {
        let finish = try #require(Finish.of(name, in: directory, spool: spool.spool))
        return try spool.spool.records(of: TaskID(name)!).deliveryRecord(of: finish)
    }

    @Test func theDelayDoublesAndTheLastFailureGivesUp() {
        let policy = RetryPolicy(maxAttempts: 3, backoffSeconds: 10, maxBackoffSeconds: 3600)
        var delivery = DeliveryRecord.Delivery(receiver: "http://127.0.0.1:9/")
        #expect(delivery.isDue(at: 0))
        var due: [Double] = []
        for _ in 1...3 {
            let begun = delivery.begin(policy: policy, now: 1000)
            #expect(begun)
            delivery.settle(.failed(reason: "cannot connect"), policy: policy, now: 1000)
            if let next = delivery.nextAttempt.flatMap(Timestamp.parse) { due.append(next - 1000) }
        }
        #expect(due == [10, 20])
        #expect(delivery.state == .givenUp)
        #expect(delivery.attempts == 3)
        #expect(delivery.reason == "cannot connect")
        #expect(!delivery.isDue(at: 5000))

        // An attempt begun by a notifier that stopped before recording its end is counted.
        var cut = DeliveryRecord.Delivery(receiver: "r", attempts: 3, reason: "timed out")
        let begun = cut.begin(policy: policy, now: 1000)
        #expect(!begun)
        #expect(cut.state == .givenUp)
        #expect(cut.reason?.contains("cut short") == true)
    }

    @Test func aClosedPortIsTriedTheConfiguredNumberOfTimesThenGivenUpWithALogLine() throws {
        let url = "http://127.0.0.1:\(try closedPort())/hook"
        let started = Date()
        #expect(lookUntilSettled(notifier([.url(url)])) == 3)
        #expect(Date().timeIntervalSince(started) >= 0.15, "the retries waited 0.05 s, then 0.1 s")
        let delivery = try #require(try record()?.deliveries.first)
        #expect(delivery.receiver == url)
        #expect(delivery.state == .givenUp)
        #expect(delivery.attempts == 3)
        #expect(delivery.reason?.contains("cannot connect") == true)
        #expect(log.contains("notice", name, url, "attempt 1 of 3 failed", "retrying at"))
        #expect(log.contains("notice", name, url, "attempt 2 of 3 failed"))
        #expect(log.contains("warning", name, "gave up on \(url) after 3 attempts", "cannot connect"))
    }

    @Test func aCommandGetsTheSummaryOnItsStandardInputOnceAcrossLooksAndRestarts() throws {
        let out = spool.base + "/received"
        let command = Receiver.command(["/bin/sh", "-c", "cat >> \"$0\"; echo \"$REBUILDER_TASK_ID $REBUILDER_FINISH\" >> \"$0.env\"", out])
        lookUntilSettled(notifier([command]))
        // A notifier started again, and a rescan, find the finish settled and send nothing more.
        lookUntilSettled(notifier([command]))
        let finish = try #require(Finish.of(name, in: .uploaded, spool: spool.spool))
        let summary = try #require(try spool.spool.records(of: TaskID(name)!).read(NotificationRecords.summary(finish)))
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: out))) == summary)
        #expect(try String(contentsOfFile: out + ".env", encoding: .utf8) == "\(name) \(finish.key)\n")
        #expect(try record()?.deliveries.first?.state == .sent)
        #expect(log.contains("info", name, "sent to command /bin/sh", "attempt 1 of 3"))

        // Requeued and finished again: a new notification.
        try spool.finishAgain(name, in: .uploaded)
        lookUntilSettled(notifier([command]))
        #expect(try String(contentsOfFile: out + ".env", encoding: .utf8).split(separator: "\n").count == 2)
    }

    @Test func eachReceiverIsRetriedOnItsOwn() throws {
        let url = "http://127.0.0.1:\(try closedPort())/"
        let failing = Receiver.command(["/bin/sh", "-c", "echo 'receiver said no' >&2; exit 3"])
        let working = Receiver.command(["/bin/true"])
        lookUntilSettled(notifier([.url(url), failing, working], attempts: 2))
        let deliveries = try #require(try record()?.deliveries)
        #expect(deliveries.map(\.state) == [.givenUp, .givenUp, .sent])
        #expect(deliveries.map(\.attempts) == [2, 2, 1])
        #expect(deliveries[1].reason == "the command exited with status 3: receiver said no")
    }

    @Test func aFailedTaskIsNotifiedAndAQuarantinedEntryIsNot() throws {
        let out = spool.base + "/received"
        let command = Receiver.command(["/bin/sh", "-c", "cat >> \"$0\"", out])
        try spool.failed("broken_1.0_amd64.buildinfo", reason: "no Source field")
        try spool.put("quarantine-20261205120000-0a1b2c3d", in: .failed)
        let records = try spool.spool.records(of: TaskID("quarantine-20261205120000-0a1b2c3d")!)
        try records.replace("original-name", with: "bad\\nname\n")
        let sender = NotificationSender(timeoutSeconds: 5)
        let quarantined = Finish.of("quarantine-20261205120000-0a1b2c3d", in: .failed, spool: spool.spool)
        #expect(quarantined != nil)
        #expect(notifier([command]).look(at: "quarantine-20261205120000-0a1b2c3d", in: .failed, sender: sender) == .settled(quarantined))
        #expect(!records.exists(NotificationRecords.directory))
        guard case .settled = notifier([command]).look(at: "broken_1.0_amd64.buildinfo", in: .failed, sender: sender) else {
            Issue.record("not settled")
            return
        }
        let summary = try JSONDecoder().decode(NotificationSummary.self, from: Data(contentsOf: URL(fileURLWithPath: out)))
        #expect(summary.state == "failed")
        #expect(summary.reason == "no Source field")
    }

    @Test func aTaskFinishedLongerAgoThanMaxAgeIsRecordedNotSent() throws {
        let out = spool.base + "/received"
        Thread.sleep(forTimeInterval: 0.05)
        #expect(lookUntilSettled(notifier([.command(["/bin/sh", "-c", "cat >> \"$0\"", out])], maxAge: 0.01)) == 1)
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try record()?.deliveries.map(\.state) == [.skipped])
        #expect(log.contains("notice", name, "more than [notify] max-age: not notified"))
    }

    @Test func aReceiverNoLongerConfiguredIsGivenUp() throws {
        let url = "http://127.0.0.1:\(try closedPort())/"
        let sender = NotificationSender(timeoutSeconds: 5)
        guard case .later(let due) = notifier([.url(url)], attempts: 5, delay: 0.01).look(at: name, in: .uploaded, sender: sender) else {
            Issue.record("a failed first attempt leaves the delivery pending")
            return
        }
        Thread.sleep(forTimeInterval: max(0, due - Timestamp.now()))
        lookUntilSettled(notifier([.command(["/bin/true"])]))
        let delivery = try #require(try record()?.deliveries.first)
        #expect(delivery.state == .givenUp)
        #expect(delivery.reason == "no longer configured")
        #expect(delivery.attempts == 1)
    }
}
