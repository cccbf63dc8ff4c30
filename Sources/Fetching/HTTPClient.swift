import CCurl
#if canImport(Glibc)
import Glibc
#endif

/// HTTP(S) GET with limits, over libcurl.
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
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }

        guard !url.utf8.contains(0) else {
            throw FetchError(url: url, kind: .badURL, reason: "URL contains a NUL byte")
        }
        let handle = try easyHandle(url: url)
        curl_easy_reset(handle)
        errorBuffer[0] = 0

        let body = ResponseBody(limit: limits.maximumBytes)
        try CurlOptions(handle: handle, url: url).apply(
            limits: limits, userAgent: userAgent, errorBuffer: errorBuffer, body: Unmanaged.passUnretained(body).toOpaque())
        let result = withExtendedLifetime(body) { curl_easy_perform(handle) }

        let outcome = CurlOutcome(handle: handle, result: result, errorBuffer: errorBuffer)
        if let error = outcome.error(url: url, limits: limits, body: body) {
            throw error
        }
        return body.bytes
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
