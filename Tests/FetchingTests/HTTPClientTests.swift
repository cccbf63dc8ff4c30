import Fetching
import Foundation
import Testing

/// Each test starts its own upstream server on 127.0.0.1.
@Suite struct HTTPClientTests {
    let directory: TemporaryDirectory
    let server: UpstreamServer
    let client = HTTPClient(userAgent: "FetchingTests")

    init() throws {
        directory = try TemporaryDirectory()
        server = try UpstreamServer(serving: directory.path + "/www")
    }

    /// The error fetching `path` gives; an issue (naming only the body's size) when it succeeds.
    private func failure(_ path: String, _ limits: FetchLimits = FetchLimits(),
                         sourceLocation: SourceLocation = #_sourceLocation) -> FetchError? {
        do {
            let body = try client.get(server.url(path), limits: limits)
            Issue.record("\(path): expected an error, got a body of \(body.count) bytes", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    @Test func aFileIsReturnedByteForByte() throws {
        let content = patternedBytes(300_000)
        try directory.write("www/dists/bookworm/Release.gpg", content)
        let body = try client.get(server.url("dists/bookworm/Release.gpg"), limits: FetchLimits())
        #expect(body == content)
    }

    @Test func theHandleIsReusedAndFilesAreReadAtRequestTime() throws {
        try directory.write("www/a.txt", "first")
        #expect(try client.get(server.url("a.txt"), limits: FetchLimits()) == Array("first".utf8))
        try directory.write("www/a.txt", "second")
        #expect(try client.get(server.url("a.txt"), limits: FetchLimits()) == Array("second".utf8))
        #expect(server.requests == ["GET /a.txt 200", "GET /a.txt 200"])
    }

    @Test func anEmptyFileIsAnEmptyBody() throws {
        try directory.write("www/empty", [UInt8]())
        #expect(try client.get(server.url("empty"), limits: FetchLimits()) == [])
    }

    @Test func anHTMLPageIsReturnedAsServed() throws {
        let body = try client.get(server.url("_html"), limits: FetchLimits())
        #expect(String(decoding: body, as: UTF8.self).hasPrefix("<!DOCTYPE html>"))
    }

    @Test func missingAndGoneAreNotFound() {
        for path in ["no/such/file", "_status/404", "_status/410"] {
            let error = failure(path)
            #expect(error?.kind == .notFound)
            #expect(error?.url == server.url(path))
        }
    }

    @Test func otherErrorStatusesNameTheirStatusAndURL() {
        let error = failure("_status/500")
        #expect(error?.kind == .httpStatus(500))
        #expect(error?.description == "\(server.url("_status/500")): HTTP status 500")
        #expect(failure("_status/403")?.kind == .httpStatus(403))
        // Not error statuses, but not the resource either.
        #expect(failure("_status/204")?.kind == .httpStatus(204))
        #expect(failure("_status/304")?.kind == .httpStatus(304))
    }

    @Test func aPostDeliversItsBodyAndAny2xxIsSuccess() throws {
        let body = Array("{\"task\": \"hello\"}".utf8)
        let status = try client.post(server.url("inbox/a.json"), bytes: body, contentType: "application/json", limits: FetchLimits())
        #expect(status == 201)
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: directory.path + "/www/inbox/a.json"))) == body)
        #expect(try client.post(server.url("inbox/empty"), bytes: [], contentType: "text/plain", limits: FetchLimits()) == 201)
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/www/inbox/empty")).isEmpty)
        // Every POST to a directory is kept, numbered.
        for body in ["one", "two"] {
            try client.post(server.url("hook/"), bytes: Array(body.utf8), contentType: "text/plain", limits: FetchLimits())
        }
        #expect(try String(contentsOfFile: directory.path + "/www/hook/2", encoding: .utf8) == "two")
        #expect(server.requests == ["POST /inbox/a.json 201", "POST /inbox/empty 201", "POST /hook/ 201", "POST /hook/ 201"])
    }

    @Test func aPostThatFailsSaysHow() {
        func failure(_ path: String, _ limits: FetchLimits = FetchLimits(maximumRedirects: 0)) -> FetchError? {
            do {
                let status = try client.post(server.url(path), bytes: Array("x".utf8), contentType: "text/plain", limits: limits)
                Issue.record("\(path): expected an error, got status \(status)")
                return nil
            } catch {
                return error
            }
        }
        #expect(failure("_status/500")?.kind == .httpStatus(500))
        #expect(failure("_status/404")?.kind == .notFound)
        // A redirected POST would arrive as a GET: not followed.
        #expect(failure("_redirect/1")?.kind == .tooManyRedirects)
        #expect(failure("_slow/5", FetchLimits(timeout: 1, maximumRedirects: 0))?.kind == .timedOut)
    }

    @Test func aSlowServerTimesOut() {
        let error = failure("_slow/5", FetchLimits(timeout: 1))
        #expect(error?.kind == .timedOut)
    }

    @Test func aBodyStalledMidwayTimesOut() {
        let error = failure("_stall", FetchLimits(timeout: 1))
        #expect(error?.kind == .timedOut)
    }

    @Test func aBodyShorterThanItsContentLengthIsTruncated() {
        let error = failure("_truncated")
        #expect(error?.kind == .truncated)
    }

    @Test func aDeclaredLengthOverTheLimitIsTooLarge() {
        let path = "_big/200000000"
        let error = failure(path, FetchLimits(maximumBytes: 1 << 20))
        #expect(error?.kind == .tooLarge)
        #expect(error?.description == "\(server.url(path)): response larger than the limit of 1048576 bytes")
    }

    @Test func aChunkedBodyOverTheLimitIsTooLarge() {
        let error = failure("_big-chunked/200000000", FetchLimits(maximumBytes: 1 << 20))
        #expect(error?.kind == .tooLarge)
    }

    @Test func aBodyOfExactlyTheLimitIsAccepted() throws {
        let limits = FetchLimits(maximumBytes: 1 << 20)
        #expect(try client.get(server.url("_big/1048576"), limits: limits).count == 1 << 20)
        #expect(try client.get(server.url("_big-chunked/1048576"), limits: limits).count == 1 << 20)
        #expect(failure("_big/1048577", limits)?.kind == .tooLarge)
        #expect(failure("_big-chunked/1048577", limits)?.kind == .tooLarge)
    }

    @Test func theClientWorksAfterAnAbortedTransfer() throws {
        try directory.write("www/after", "still works")
        #expect(failure("_big-chunked/10000000", FetchLimits(maximumBytes: 1000))?.kind == .tooLarge)
        #expect(failure("_truncated")?.kind == .truncated)
        #expect(try client.get(server.url("after"), limits: FetchLimits()) == Array("still works".utf8))
    }

    @Test func redirectsWithinTheLimitAreFollowed() throws {
        #expect(try client.get(server.url("_redirect/3"), limits: FetchLimits(maximumRedirects: 5)) == Array("ok".utf8))
        #expect(try client.get(server.url("_redirect/5"), limits: FetchLimits(maximumRedirects: 5)) == Array("ok".utf8))
        try directory.write("www/pool/x.buildinfo", "moved here")
        #expect(try client.get(server.url("_redirect-to/pool/x.buildinfo"), limits: FetchLimits()) == Array("moved here".utf8))
    }

    @Test func moreRedirectsThanAllowedAreAnError() {
        #expect(failure("_redirect/6", FetchLimits(maximumRedirects: 5))?.kind == .tooManyRedirects)
        #expect(failure("_redirect/1", FetchLimits(maximumRedirects: 0))?.kind == .tooManyRedirects)
        #expect(failure("_redirect-loop")?.kind == .tooManyRedirects)
    }

    @Test func aRedirectToAFileIsRefused() {
        let error = failure("_redirect-to-file")
        #expect(error?.kind == .badURL)
        #expect(error?.url == server.url("_redirect-to-file"))
    }

    @Test func aRefusedConnectionIsAConnectionError() {
        let url = "http://127.0.0.1:\(closedPort())/x"
        let error = #expect(throws: FetchError.self) { try client.get(url, limits: FetchLimits()) }
        #expect(error?.kind == .connection)
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://127.0.0.1/x", "not a url", "", "http://127.0.0.1:\u{0}80/"])
    func urlsThatAreNotHTTPAreRefused(url: String) {
        let error = #expect(throws: FetchError.self) { try client.get(url, limits: FetchLimits()) }
        #expect(error?.kind == .badURL)
        #expect(error?.url == url)
    }
}

@Suite struct FetchValuesTests {
    @Test func limitsHaveTheDocumentedDefaults() {
        let limits = FetchLimits()
        #expect(limits == FetchLimits(connectTimeout: 30, timeout: 300, maximumBytes: 64 << 20, maximumRedirects: 5))
    }

    @Test func anErrorDescribesItselfAsURLAndReason() {
        let error = FetchError(url: "http://127.0.0.1:4000/x.list", kind: .tooLarge,
                               reason: "response larger than the limit of 1048576 bytes")
        #expect(error.description == "http://127.0.0.1:4000/x.list: response larger than the limit of 1048576 bytes")
    }
}
