import Foundation
import Glibc
import Notifications
import Spool
import Testing

/// `rebuilder stage notify` beside the four stages, on a run of the examples (hello-repro
/// reproducible, hello-unrepro not, and a buildinfo the build stage refuses): each finished task
/// is POSTed once to a web server on 127.0.0.1 (Fixtures/upstream_server.py, which keeps every
/// POST to a directory as a numbered file); with no one listening, the pipeline finishes anyway
/// and each notification is retried, then given up with a log line.
@Suite(.serialized) struct NotificationTests {
    static let examples = ["hello-repro_1.0_amd64.buildinfo", "hello-unrepro_1.0_amd64.buildinfo"]
    static let broken = "broken_1.0_amd64.buildinfo"

    /// The examples' pipeline (local backend, attest with throwaway keys) with `notify` as
    /// [notify]; its published tree is removed with it.
    final class ExamplePipeline {
        let keys: SigningKeys
        let published = "/var/tmp/notify-published-\(UUID().uuidString.prefix(8))"
        let fixture: PipelineFixture

        init(notify: String) throws {
            keys = try SigningKeys()
            fixture = try ExampleDistribution.pipeline(
                published: published, keys: keys, reproducibleKey: try keys.generate("reproducible", algorithm: "ed25519"),
                unreproducibleKey: try keys.generate("unreproducible", algorithm: "ed25519"), spoolSettings: "rescan-period = 2\n",
                sections: "[notify]\n\(notify)")
        }

        deinit {
            fixture.stopAll()
            try? FileManager.default.removeItem(atPath: published)
        }
    }

    /// Starts the stages and the notifier, submits the examples and a broken buildinfo, and waits
    /// until the two examples are uploaded and the broken one failed.
    @discardableResult
    static func runExamples(_ fixture: PipelineFixture) throws -> Process {
        try fixture.startAllStages()
        let notifier = try fixture.startStage("notify")
        let distribution = try ExampleDistribution.path()
        try "Source: broken\nthis is not a buildinfo\n".write(toFile: "\(fixture.base)/\(broken)", atomically: true, encoding: .utf8)
        try fixture.run(["submit", "--dist", "bookworm+examples.amd64"] + examples.map { "\(distribution)/buildinfo/\($0)" })
        try fixture.run(["submit", "\(fixture.base)/\(broken)"])
        #expect(fixture.waitUntil(seconds: 400) { fixture.entries(.uploaded).count == 2 && fixture.entries(.failed).count == 1 },
                "uploaded: \(fixture.entries(.uploaded)) failed: \(fixture.entries(.failed))\n\(fixture.daemonLogs().suffix(4000))")
        return notifier
    }

    /// The delivery record of the task's finish (it has one finish here).
    static func deliveries(_ fixture: PipelineFixture, _ task: String) -> DeliveryRecord? {
        let directory = fixture.spoolRoot + "/records/\(task)/notify"
        guard let finish = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.first,
              let bytes = FileManager.default.contents(atPath: "\(directory)/\(finish)/delivery.json") else { return nil }
        return try? DeliveryRecord.decode(Array(bytes))
    }

    /// The bodies the server was POSTed at /hook/, in the order it took them.
    static func received(_ server: UpstreamServer) -> [Data] {
        let directory = server.root + "/hook"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).compactMap(Int.init).sorted()
        return names.compactMap { FileManager.default.contents(atPath: "\(directory)/\($0)") }
    }

    @Test(.enabled(if: PublishedExamplesTests.available), .timeLimit(.minutes(10)))
    func eachFinishedTaskOfTheExamplesIsPostedOnceWithItsVerdictsLinksAndLog() throws {
        let server = try UpstreamServer(serving: FileManager.default.temporaryDirectory.appendingPathComponent("hooks-\(UUID().uuidString)").path)
        defer { try? FileManager.default.removeItem(atPath: server.root) }
        let url = server.url("hook/")
        let pipeline = try ExamplePipeline(notify: """
            urls = \(url)
            links-base = https://rebuilder.example/
            timeout = 5
            attempts = 3
            retry-delay = 0.2
            """)
        let fixture = pipeline.fixture
        let notifier = try Self.runExamples(fixture)
        let tasks = Set(Self.examples + [Self.broken])
        #expect(fixture.waitUntil(seconds: 30) { Self.received(server).count >= 3 },
                "\(server.requests)\n\(fixture.daemonLogs().suffix(4000))")

        // A restarted notifier (notify-1.log) finds every finish notified and sends nothing again.
        kill(notifier.processIdentifier, SIGTERM)
        notifier.waitUntilExit()
        try fixture.startStage("notify")
        Thread.sleep(forTimeInterval: 3)
        let logs = fixture.daemonLogs()
        fixture.stopAll()
        let restarted = try String(contentsOfFile: fixture.base + "/notify-1.log", encoding: .utf8)
        #expect(restarted.contains("notifier ready") && !restarted.contains("sent to"), "\(restarted)")
        #expect(server.requests == Array(repeating: "POST /hook/ 201", count: 3), "\(server.requests)")

        let summaries = try Self.received(server).map { try JSONDecoder().decode(NotificationSummary.self, from: $0) }
        #expect(summaries.count == 3, "\(summaries.map(\.task))")
        #expect(Set(summaries.map(\.task)) == tasks)
        #expect(Set(summaries.map(\.id)).count == 3)
        let byTask = Dictionary(summaries.map { ($0.task, $0) }, uniquingKeysWith: { first, _ in first })

        let repro = try #require(byTask["hello-repro_1.0_amd64.buildinfo"])
        #expect(repro.state == "uploaded")
        #expect(repro.project == "debian" && repro.dist == "bookworm+examples.amd64")
        #expect(repro.verdict == "reproducible")
        #expect(!repro.artifacts.isEmpty && repro.artifacts.allSatisfy { $0.verdict == .reproducible })
        #expect(repro.links.log == "https://rebuilder.example/debian/logs/hello-repro_1.0_amd64.log")
        #expect(repro.links.metadata.contains { $0.hasPrefix("https://rebuilder.example/debian/sources/hello-repro/1.0/rebuild.") }, "\(repro.links)")
        #expect(repro.links.diffoscope.isEmpty)
        #expect(!repro.logTail.isEmpty && repro.logTail.count <= 30)
        #expect(repro.unreadable == nil)
        let log = try String(contentsOfFile: fixture.spoolRoot + "/records/hello-repro_1.0_amd64.buildinfo/build.log", encoding: .utf8)
        #expect(repro.logTail.last.map { log.hasSuffix($0 + "\n") } == true, "\(repro.logTail.suffix(2))")

        let unrepro = try #require(byTask["hello-unrepro_1.0_amd64.buildinfo"])
        #expect(unrepro.state == "uploaded")
        #expect(unrepro.verdict == "unreproducible")
        #expect(unrepro.artifacts.contains { $0.verdict == .unreproducible && $0.rebuiltSHA256 != nil })
        #expect(unrepro.links.diffoscope.contains { $0.hasPrefix("https://rebuilder.example/debian/diffoscope/hello-unrepro_1.0_amd64/") }, "\(unrepro.links)")
        #expect(!unrepro.links.metadata.isEmpty)

        let broken = try #require(byTask[Self.broken])
        #expect(broken.state == "failed")
        #expect(broken.reason?.isEmpty == false)
        #expect(broken.verdict == nil && broken.artifacts.isEmpty && broken.links.log == nil)

        for task in tasks {
            #expect(Self.deliveries(fixture, task)?.deliveries.map(\.state) == [.sent], "\(task)")
            #expect(logs.contains("\(task) (\(task == Self.broken ? "failed" : "uploaded")): sent to \(url) (attempt 1 of 3)"), "\(task)")
        }
    }

    @Test(.enabled(if: PublishedExamplesTests.available), .timeLimit(.minutes(10)))
    func withNoReceiverListeningThePipelineFinishesAndEachNotificationIsRetriedThenGivenUp() throws {
        // One URL refuses connections (nothing listens), the other takes them and never answers.
        var closed: SilentListener? = try SilentListener()
        let refused = "http://127.0.0.1:\(closed!.port)/hook"
        closed = nil
        let silent = try SilentListener()
        let hanging = "http://127.0.0.1:\(silent.port)/hook"
        let pipeline = try ExamplePipeline(notify: """
            urls = \(refused) \(hanging)
            timeout = 0.5
            attempts = 3
            retry-delay = 0.2
            """)
        let fixture = pipeline.fixture
        try Self.runExamples(fixture)
        let tasks = Self.examples + [Self.broken]
        let settled = fixture.waitUntil(seconds: 60) { tasks.allSatisfy { Self.deliveries(fixture, $0)?.isSettled == true } }
        fixture.stopAll()
        #expect(settled, "\(tasks.map { Self.deliveries(fixture, $0) as Any })\n\(fixture.daemonLogs().suffix(4000))")

        let logs = fixture.daemonLogs()
        for task in tasks {
            let record = try #require(Self.deliveries(fixture, task), "\(task)")
            #expect(record.deliveries.map(\.receiver) == [refused, hanging])
            #expect(record.deliveries.map(\.state) == [.givenUp, .givenUp], "\(task)")
            #expect(record.deliveries.map(\.attempts) == [3, 3], "\(task)")
            #expect(record.deliveries[0].reason?.contains("cannot connect") == true, "\(record)")
            #expect(record.deliveries[1].reason?.contains("timed out") == true, "\(record)")
            let shown = "\(task) (\(task == Self.broken ? "failed" : "uploaded"))"
            for url in [refused, hanging] {
                for attempt in 1...2 { #expect(logs.contains("\(shown): \(url): attempt \(attempt) of 3 failed: "), "\(task) \(url) \(attempt)") }
                #expect(logs.contains("\(shown): gave up on \(url) after 3 attempts: "), "\(task) \(url)")
            }
        }
    }
}
