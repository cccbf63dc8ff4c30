import Crypto
import Foundation
import Glibc
import Hexadecimal

/// What the webhook run found: requests per second answered with a valid HMAC (each a new push:
/// a delivery record and a get request written) and with an invalid one (refused after the HMAC
/// check), measured by wrk over loopback, and the receiver's memory after every request.
struct WebhookLoadResult: Codable, Sendable {
    var connections: Int
    var seconds: Int
    var validPerSecond: Double
    var invalidPerSecond: Double
    /// Answers other than 2xx to valid requests (none expected).
    var validNot2xx: Int
    /// Answers other than 403 to invalid ones show up as 2xx here (none expected).
    var invalid2xx: Int
    var totalRequests: Int
    var residentAfterKiB: Int
    var peakResidentKiB: Int
}

enum WebhookLoad {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static let secret = "bench-secret"
    static let body = #"{"ref":"refs/heads/main","after":"0123456789abcdef"}"#

    static func measure(directory: String, rebuilder: String, seconds: Int, connections: Int, total: Int) throws -> WebhookLoadResult {
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure(description: "wrk is not installed (apt-get install wrk)")
        }
        let config = "\(directory)/rebuilder.conf"
        try secret.write(toFile: "\(directory)/secret", atomically: true, encoding: .utf8)
        try """
        [spool]
        root = \(directory)/spool

        [webhook]
        listen = 127.0.0.1:0
        github-secret-file = \(directory)/secret
        state = \(directory)/webhook

        [commands]
        directory = \(directory)/commands

        """.write(toFile: config, atomically: true, encoding: .utf8)
        try Tool.run(rebuilder, ["init", "--config", config])
        let log = "\(directory)/webhook.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let receiver = Process()
        receiver.executableURL = URL(fileURLWithPath: rebuilder)
        receiver.arguments = ["webhook", "--config", config]
        receiver.standardOutput = FileHandle.nullDevice
        receiver.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try receiver.run()
        defer {
            kill(receiver.processIdentifier, SIGTERM)
            receiver.waitUntilExit()
        }
        var port: Int?
        for _ in 0..<300 where port == nil {
            usleep(100_000)
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            port = text.range(of: "listening on 127.0.0.1:").flatMap { Int(text[$0.upperBound...].prefix { $0.isNumber }) }
        }
        guard let port else { throw Failure(description: "the webhook receiver did not listen: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")") }
        let url = "http://127.0.0.1:\(port)/hooks/github"
        let signature = "sha256=" + Hex.lowercase(HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array(secret.utf8))))

        var served = 0
        var round = 0
        func wrkRun(signature: String) throws -> (perSecond: Double, requests: Int, not2xx: Int) {
            round += 1
            let script = "\(directory)/round\(round).lua"
            try luaScript(signature: signature, run: "r\(round)").write(toFile: script, atomically: true, encoding: .utf8)
            let output = try Tool.run(wrk, ["-t2", "-c\(connections)", "-d\(seconds)s", "-s", script, url])
            guard let perSecond = number(after: "Requests/sec:", in: output), let requests = number(after: "", before: " requests in", in: output) else {
                throw Failure(description: "cannot read wrk's output: \(output)")
            }
            served += Int(requests)
            return (perSecond, Int(requests), Int(number(after: "Non-2xx or 3xx responses:", in: output) ?? 0))
        }
        let valid = try wrkRun(signature: signature)
        let invalid = try wrkRun(signature: "sha256=" + String(repeating: "0", count: 64))
        // Until `total` requests: the memory figure is after that many, valid and invalid alike.
        while served < total && round < 40 { _ = try wrkRun(signature: round % 2 == 0 ? signature : "sha256=bad") }
        let memory = ProcessStatus.memory(of: receiver.processIdentifier)
        return WebhookLoadResult(connections: connections, seconds: seconds, validPerSecond: valid.perSecond, invalidPerSecond: invalid.perSecond,
                                 validNot2xx: valid.not2xx, invalid2xx: invalid.requests - invalid.not2xx, totalRequests: served,
                                 residentAfterKiB: memory?.residentKiB ?? 0, peakResidentKiB: memory?.peakKiB ?? 0)
    }

    /// Each request a new delivery id (thread number, count), so no valid request is a replay.
    static func luaScript(signature: String, run: String) -> String {
        """
        local threads = 0
        function setup(thread)
          threads = threads + 1
          thread:set("tid", threads)
        end
        local count = 0
        wrk.method = "POST"
        wrk.body = '\(body)'
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["X-GitHub-Event"] = "push"
        wrk.headers["X-Hub-Signature-256"] = "\(signature)"
        request = function()
          count = count + 1
          wrk.headers["X-GitHub-Delivery"] = "\(run)-" .. tid .. "-" .. count
          return wrk.format()
        end

        """
    }

    /// The number after `prefix` (or before `suffix`) on the first line holding them.
    static func number(after prefix: String, before suffix: String = "", in text: String) -> Double? {
        for line in text.split(separator: "\n") {
            let line = line.trimmingCharacters(in: .whitespaces)
            if !suffix.isEmpty, let range = line.range(of: suffix) {
                return Double(line[..<range.lowerBound].trimmingCharacters(in: .whitespaces))
            }
            if !prefix.isEmpty, line.hasPrefix(prefix) {
                return Double(line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces))
            }
        }
        return nil
    }
}
