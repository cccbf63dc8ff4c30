import CCurl

/// The options of one request, set afresh on a reset handle (a reset keeps live connections).
struct CurlOptions {
    let handle: UnsafeMutableRawPointer
    let url: String

    /// `upload`: a POST's body and header list (nil: a GET). curl copies the body; the list must
    /// live until the transfer is over.
    func apply(limits: FetchLimits, userAgent: String, errorBuffer: UnsafeMutablePointer<CChar>,
               body: UnsafeMutableRawPointer, upload: (bytes: [UInt8], headers: UnsafeMutablePointer<curl_slist>)? = nil) throws(FetchError) {
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        try set(CURLOPT_URL, string: url)
        if let upload {
            try set(CURLOPT_POST, 1)
            // The size first: COPYPOSTFIELDS copies that many bytes (a body may hold NUL).
            try set(CURLOPT_POSTFIELDSIZE_LARGE, offT: curl_off_t(upload.bytes.count))
            // One byte more than the size, so that even an empty body has an address.
            var bytes = upload.bytes + [0]
            try check(bytes.withUnsafeMutableBytes { rb_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) },
                      CURLOPT_COPYPOSTFIELDS)
            try set(CURLOPT_HTTPHEADER, pointer: UnsafeMutableRawPointer(upload.headers))
        } else {
            try set(CURLOPT_HTTPGET, 1)
        }
        // A process that has many threads must not have curl use signals (alarm() for DNS timeouts).
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_PROTOCOLS_STR, string: "http,https")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, string: "http,https")
        try set(CURLOPT_FOLLOWLOCATION, 1)
        try set(CURLOPT_MAXREDIRS, max(0, limits.maximumRedirects))
        try set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(limits.connectTimeout))
        try set(CURLOPT_TIMEOUT_MS, Self.milliseconds(limits.timeout))
        // Stops before the body when the server declares a Content-Length over the limit
        // (0 would mean no limit to curl; the write callback enforces it then).
        try set(CURLOPT_MAXFILESIZE_LARGE, offT: curl_off_t(max(0, limits.maximumBytes)))
        // Error statuses end the transfer before their body.
        try set(CURLOPT_FAILONERROR, 1)
        try set(CURLOPT_USERAGENT, string: userAgent)
        try set(CURLOPT_WRITEFUNCTION, callback: ResponseBody.writeCallback)
        try set(CURLOPT_WRITEDATA, pointer: body)
    }

    /// curl takes whole milliseconds, and 0 means "no timeout" (or its default): never pass 0,
    /// and never trap on an infinite or huge value.
    static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite else { return seconds > 0 ? Int(Int32.max) : 1 }
        let value = (seconds * 1000).rounded(.up)
        return Int(min(max(value, 1), Double(Int32.max)))
    }

    private func set(_ option: CURLoption, _ value: Int) throws(FetchError) {
        try check(rb_curl_setopt_long(handle, option, value), option)
    }

    private func set(_ option: CURLoption, offT value: curl_off_t) throws(FetchError) {
        try check(rb_curl_setopt_off_t(handle, option, value), option)
    }

    private func set(_ option: CURLoption, string value: String) throws(FetchError) {
        // curl copies string options.
        try check(value.withCString { rb_curl_setopt_string(handle, option, $0) }, option)
    }

    private func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer) throws(FetchError) {
        try check(rb_curl_setopt_pointer(handle, option, value), option)
    }

    private func set(_ option: CURLoption, callback: curl_write_callback) throws(FetchError) {
        try check(rb_curl_setopt_write_callback(handle, option, callback), option)
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(FetchError) {
        guard code != CURLE_OK else { return }
        let message = String(cString: curl_easy_strerror(code))
        let kind: FetchError.Kind = option == CURLOPT_URL ? .badURL : .other
        throw FetchError(url: url, kind: kind, reason: "cannot set curl option \(option.rawValue): \(message)")
    }
}
