import CCurl

/// Turns what curl_easy_perform returned, and what the handle recorded, into a `FetchError`.
struct CurlOutcome {
    let result: CURLcode
    let status: Int
    let redirects: Int
    let detail: String

    init(handle: UnsafeMutableRawPointer, result: CURLcode, errorBuffer: UnsafeMutablePointer<CChar>) {
        self.result = result
        var status = 0
        _ = rb_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        self.status = status
        var redirects = 0
        _ = rb_curl_getinfo_long(handle, CURLINFO_REDIRECT_COUNT, &redirects)
        self.redirects = redirects
        let buffered = String(cString: errorBuffer)
        detail = buffered.isEmpty ? String(cString: curl_easy_strerror(result)) : buffered
    }

    /// nil when the transfer succeeded with status 200 (any 2xx when `anySuccess`: a POST's).
    func error(url: String, limits: FetchLimits, body: ResponseBody, anySuccess: Bool = false) -> FetchError? {
        func failure(_ kind: FetchError.Kind, _ reason: String) -> FetchError {
            FetchError(url: url, kind: kind, reason: reason)
        }
        if body.exceededLimit || result == CURLE_FILESIZE_EXCEEDED {
            return failure(.tooLarge, "response larger than the limit of \(max(0, limits.maximumBytes)) bytes")
        }
        switch result {
        case CURLE_OK:
            // Only 200 is the whole resource: 204 has no body, 206 only part of one, and a final
            // 3xx (a 304, or a redirect without Location) is not the content either.
            return status == 200 || (anySuccess && (200..<300).contains(status)) ? nil : statusError(url: url)
        case CURLE_HTTP_RETURNED_ERROR:
            return statusError(url: url)
        case CURLE_OPERATION_TIMEDOUT:
            return failure(.timedOut, "timed out (\(detail))")
        case CURLE_PARTIAL_FILE:
            return failure(.truncated, "response cut short after \(body.bytes.count) bytes (\(detail))")
        case CURLE_RECV_ERROR where !body.bytes.isEmpty:
            return failure(.truncated, "connection broken after \(body.bytes.count) bytes (\(detail))")
        case CURLE_TOO_MANY_REDIRECTS:
            return failure(.tooManyRedirects, "more than \(max(0, limits.maximumRedirects)) redirects (\(detail))")
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT, CURLE_RECV_ERROR,
             CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_SSL_CONNECT_ERROR:
            return failure(.connection, "cannot connect or no answer (\(detail))")
        case CURLE_UNSUPPORTED_PROTOCOL where redirects > 0:
            return failure(.badURL, "redirected to a URL that is not http or https (\(detail))")
        case CURLE_UNSUPPORTED_PROTOCOL:
            return failure(.badURL, "not an http or https URL (\(detail))")
        case CURLE_URL_MALFORMAT:
            return failure(.badURL, "malformed URL (\(detail))")
        default:
            return failure(.other, "\(detail) (curl error \(result.rawValue))")
        }
    }

    private func statusError(url: String) -> FetchError {
        if status == 404 || status == 410 {
            return FetchError(url: url, kind: .notFound, reason: "not found (HTTP \(status))")
        }
        return FetchError(url: url, kind: .httpStatus(status), reason: "HTTP status \(status)")
    }
}
