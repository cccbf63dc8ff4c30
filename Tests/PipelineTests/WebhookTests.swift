import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc
import Testing

/// `rebuilder webhook` running, spoken to over HTTP on 127.0.0.1 as GitHub and GitLab would.
@Suite(.serialized) struct WebhookTests {
    static let secret = "webhook-test-secret"
    static let token = "gitlab-test-token"

    /// The receiver with its own spool and the get stage's upstream; stopped by PID.
    final class Receiver {
        let fixture: PipelineFixture
        let upstream: GetStageTests.DebianUpstream
        let process = Process()
        let log: String
        let port: Int
        var requests: String { fixture.spoolRoot + "/get/requests" }
        var inbox: String { fixture.base + "/commands/inbox" }

        init() throws {
            upstream = try GetStageTests.DebianUpstream()
            fixture = try GetStageTests.fixture(dist: "unstable+test.amd64", settings: upstream.settings())
            try WebhookTests.secret.write(toFile: fixture.base + "/github-secret", atomically: true, encoding: .utf8)
            try (WebhookTests.token + "\n").write(toFile: fixture.base + "/gitlab-token", atomically: true, encoding: .utf8)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: fixture.configPath))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("""

                [webhook]
                listen = 127.0.0.1:0
                github-secret-file = \(fixture.base)/github-secret
                gitlab-token-file = \(fixture.base)/gitlab-token
                specs = unstable+test.amd64
                state = \(fixture.base)/webhook
                max-body = 25M

                [commands]
                directory = \(fixture.base)/commands

                """.utf8))
            try handle.close()
            log = fixture.base + "/webhook.log"
            FileManager.default.createFile(atPath: log, contents: nil)
            process.executableURL = URL(fileURLWithPath: PipelineFixture.binary)
            process.arguments = ["webhook", "--config", fixture.configPath]
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            var found: Int?
            let deadline = Date().addingTimeInterval(30)
            while found == nil && Date() < deadline {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                found = text.split(separator: "\n").first { $0.contains("listening on 127.0.0.1:") }
                    .flatMap { Int($0.split(separator: ":").last ?? "") }
                if found == nil { Thread.sleep(forTimeInterval: 0.05) }
            }
            guard let found else {
                process.terminate()
                throw FixtureError("the webhook receiver did not listen: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            }
            port = found
        }

        deinit {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }

        func queued() -> [String] {
            (((try? FileManager.default.contentsOfDirectory(atPath: requests)) ?? []) + ((try? FileManager.default.contentsOfDirectory(atPath: inbox)) ?? []))
                .filter { !$0.hasPrefix(".") }.sorted()
        }

        func logText() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

        /// One request; its status and body.
        func send(_ path: String, method: String = "POST", headers: [String: String] = [:], body: Data = Data()) throws -> (Int, String) {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            request.httpMethod = method
            request.timeoutInterval = 60
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            if method != "GET" { request.httpBody = body }
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var result: (Int, String)?
            nonisolated(unsafe) var failure: Error?
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let response = response as? HTTPURLResponse {
                    result = (response.statusCode, String(decoding: data ?? Data(), as: UTF8.self))
                } else {
                    failure = error
                }
                done.signal()
            }.resume()
            done.wait()
            guard let result else { throw FixtureError("\(method) \(path): \(String(describing: failure))") }
            return result
        }

        func github(_ event: String, delivery: String, body: Data, signature: String? = nil) throws -> (Int, String) {
            var headers = ["X-GitHub-Event": event, "X-GitHub-Delivery": delivery, "Content-Type": "application/json"]
            headers["X-Hub-Signature-256"] = signature ?? WebhookTests.sign(body)
            return try send("/hooks/github", headers: headers, body: body)
        }
    }

    static func sign(_ body: Data) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    static func json(_ object: [String: Any]) -> Data { try! JSONSerialization.data(withJSONObject: object) }

    @Test func aSignedPushQueuesAGetRequestTheGetStageRunsAndEverythingElseIsRefusedOrIgnored() throws {
        let receiver = try Receiver()
        let push = Self.json(["ref": "refs/heads/main", "after": "0123"])

        // A signed push: a request for the configured spec, which the get stage runs and removes.
        let accepted = try receiver.github("push", delivery: "d-1", body: push)
        #expect(accepted.0 == 202, "\(accepted) \(receiver.logText())")
        let queued = receiver.queued()
        #expect(queued.count == 1 && queued[0].hasPrefix("github-"))
        #expect(try String(contentsOfFile: "\(receiver.requests)/\(queued[0])", encoding: .utf8) == "unstable+test.amd64\n")
        let get = try receiver.fixture.runCapturing(["stage", "get", "--once"])
        #expect(get.output == "unstable+test.amd64: found 5, new 5, skipped 0, failed 0\n", "\(get.errors)")
        #expect(receiver.queued().isEmpty)

        // Refused, each with its status and a log line, and nothing queued.
        let cases: [(String, (Int, String), Int)] = [
            ("replay", try receiver.github("push", delivery: "d-1", body: push), 409),
            ("wrong signature", try receiver.github("push", delivery: "d-2", body: push, signature: Self.sign(Data("other".utf8))), 403),
            ("no signature", try receiver.send("/hooks/github", headers: ["X-GitHub-Event": "push", "X-GitHub-Delivery": "d-3"], body: push), 403),
            ("26 MB", try receiver.github("push", delivery: "d-4", body: Data(count: 26 << 20)), 413),
            ("not JSON", try receiver.github("push", delivery: "d-5", body: Data("push it".utf8)), 400),
            ("no delivery id", try receiver.send("/hooks/github", headers: ["X-GitHub-Event": "push", "X-Hub-Signature-256": Self.sign(push)], body: push), 400),
            ("wrong GitLab token", try receiver.send("/hooks/gitlab", headers: ["X-Gitlab-Event": "Push Hook", "X-Gitlab-Token": "guess"], body: push), 403),
            ("wrong method", try receiver.send("/hooks/github", method: "GET"), 405),
            ("unknown path", try receiver.send("/hooks/bitbucket", body: push), 404),
            ("ping", try receiver.github("ping", delivery: "d-6", body: Self.json(["zen": "Keep it logically awesome."])), 200),
        ]
        for (name, response, status) in cases {
            #expect(response.0 == status, "\(name): \(response)")
        }
        #expect(receiver.queued().isEmpty, "\(receiver.queued())")
        let log = receiver.logText()
        for line in ["github delivery=d-1 event=push status=409", "github delivery=d-2 event=push status=403", "github delivery=d-4 event=push status=413",
                     "github delivery=d-5 event=push status=400", "gitlab delivery=- event=Push Hook status=403", "github delivery=d-6 event=ping status=200"] {
            #expect(log.contains(line), "no '\(line)' in\n\(log)")
        }
    }

    @Test func aCommentsClearsignedBlockAloneGoesToTheCommandInbox() throws {
        let receiver = try Receiver()
        let block = """
            -----BEGIN PGP SIGNED MESSAGE-----
            Hash: SHA256

            Rebuild unstable+test.amd64 bash 5.1-2+b3 2026-12-05T08:00:00Z
            -----BEGIN PGP SIGNATURE-----

            iHUEARYIAB0WIQQ=
            -----END PGP SIGNATURE-----

            """
        let comment = Self.json(["action": "created", "comment": ["body": "Please:\n" + block + "Retry unstable+test.amd64 failed\n"]])
        #expect(try receiver.github("issue_comment", delivery: "c-1", body: comment).0 == 202)
        let gitlabNote = Self.json(["object_attributes": ["note": block, "action": "create"]])
        #expect(try receiver.send("/hooks/gitlab", headers: ["X-Gitlab-Event": "Note Hook", "X-Gitlab-Token": Self.token,
                                                            "X-Gitlab-Event-UUID": "n-1"], body: gitlabNote).0 == 202)
        let files = try FileManager.default.contentsOfDirectory(atPath: receiver.inbox).sorted()
        #expect(files.count == 2 && files.allSatisfy { $0.hasSuffix(".asc") }, "\(files)")
        for file in files {
            #expect(try String(contentsOfFile: "\(receiver.inbox)/\(file)", encoding: .utf8) == block)
        }
        #expect(try receiver.github("issue_comment", delivery: "c-2", body: Self.json(["action": "created", "comment": ["body": "no block"]])).0 == 200)
    }
}
