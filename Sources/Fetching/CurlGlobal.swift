import CCurl

/// curl_global_init must run once before any handle exists, and not concurrently with itself:
/// a global's initialiser runs exactly once, on first use, under the runtime's lock.
private let globalInitResult: CURLcode = rb_curl_global_init()

/// Initialises libcurl on first use; nil when that succeeded, curl's message otherwise.
func curlGlobalInitFailure() -> String? {
    globalInitResult == CURLE_OK ? nil : String(cString: curl_easy_strerror(globalInitResult))
}
