import CCurl
#if canImport(Glibc)
import Glibc
#endif

/// HTTP(S) GET and POST with limits, over libcurl.
///
/// One curl easy handle is reused for every request, so consecutive requests to one host share a
/// kept-alive connection (a mirror's index and then its files). A handle must not be used by two
/// threads at once: calls on one client are serialised by a lock, so a client shared between
/// threads is safe but downloads one thing at a time. Use one client per thread to download in
/// parallel.
public final class HTTPClient: @unchecked Sendable {
    private let userAgent: String
    /// Created on first use, so that `init` cannot fail.
    private var handle: UnsafeMutableRawPointer?
    /// CURLOPT_ERRORBUFFER: curl's detailed message for the last failure.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let lock: UnsafeMutablePointer<pthread_mutex_t>

    public init(userAgent: String = "PackageRebuilder") {
        self.userAgent = userAgent
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        lock = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
    }

    deinit {
        if let handle { curl_easy_cleanup(handle) }
        errorBuffer.deallocate()
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    /// GETs `url` and returns its body.
    ///
    /// Only http and https are followed, for the URL itself and for redirects, so a hostile
    /// server cannot redirect a stage to `file:///etc/...`. A status other than 200 is an error
    /// (404 and 410 are `.notFound`), and its body is not downloaded. No Accept-Encoding is sent,
    /// so the bytes are exactly the resource's bytes and `maximumBytes` counts what is stored.
    public func get(_ url: String, limits: FetchLimits) throws(FetchError) -> [UInt8] {
        try perform(url, limits: limits, body: ResponseBody(limit: limits.maximumBytes), upload: nil).bytes
    }

    /// POSTs `bytes` to `url` as `contentType`; any 2xx status is success and the answer's body
    /// is read and dropped. The same schemes as `get`; `limits.maximumRedirects` is best 0, since
    /// a redirected POST becomes a GET. Returns the status.
    @discardableResult
    public func post(_ url: String, bytes: [UInt8], contentType: String, limits: FetchLimits) throws(FetchError) -> Int {
        // No "Expect: 100-continue": a receiver that ignores it would cost every POST curl's wait.
        var headers: UnsafeMutablePointer<curl_slist>?
        for header in ["Content-Type: \(contentType)", "Expect:"] {
            guard let appended = curl_slist_append(headers, header) else {
                curl_slist_free_all(headers)
                throw FetchError(url: url, kind: .other, reason: "cannot make the request's header list")
            }
            headers = appended
        }
        defer { curl_slist_free_all(headers) }
        return try perform(url, limits: limits, body: ResponseBody(limit: 0, discarding: true), upload: (bytes, headers!)).status
    }

    /// One request on the shared handle, serialised by the lock.
    private func perform(_ url: String, limits: FetchLimits, body: ResponseBody,
                         upload: (bytes: [UInt8], headers: UnsafeMutablePointer<curl_slist>)?) throws(FetchError) -> (bytes: [UInt8], status: Int) {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }

        guard !url.utf8.contains(0) else {
            throw FetchError(url: url, kind: .badURL, reason: "URL contains a NUL byte")
        }
        let handle = try easyHandle(url: url)
        curl_easy_reset(handle)
        errorBuffer[0] = 0

        try CurlOptions(handle: handle, url: url).apply(
            limits: limits, userAgent: userAgent, errorBuffer: errorBuffer, body: Unmanaged.passUnretained(body).toOpaque(), upload: upload)
        let result = withExtendedLifetime(body) { curl_easy_perform(handle) }

        let outcome = CurlOutcome(handle: handle, result: result, errorBuffer: errorBuffer)
        if let error = outcome.error(url: url, limits: limits, body: body, anySuccess: upload != nil) {
            throw error
        }
        return (body.bytes, outcome.status)
    }

    private func easyHandle(url: String) throws(FetchError) -> UnsafeMutableRawPointer {
        if let handle { return handle }
        if let failure = curlGlobalInitFailure() {
            throw FetchError(url: url, kind: .other, reason: "cannot initialise libcurl: \(failure)")
        }
        guard let created = curl_easy_init() else {
            throw FetchError(url: url, kind: .other, reason: "cannot create a curl handle")
        }
        handle = created
        return created
    }
}
