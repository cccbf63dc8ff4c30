import CCurl

/// The body of one response as curl hands it over, refusing bytes past the limit: curl then
/// aborts the transfer at once, so an oversized (or endless chunked) body is never downloaded.
/// A discarding body takes everything and keeps nothing: the answer to a POST, which only its
/// status matters for, cannot fail a delivery the receiver already took.
final class ResponseBody {
    private(set) var bytes: [UInt8] = []
    private(set) var exceededLimit = false
    private let limit: Int
    private let discarding: Bool

    init(limit: Int, discarding: Bool = false) {
        self.limit = max(0, limit)
        self.discarding = discarding
    }

    /// Returns the count taken; anything else makes curl stop with CURLE_WRITE_ERROR.
    func append(_ data: UnsafeRawBufferPointer) -> Int {
        if discarding { return data.count }
        guard data.count <= limit - bytes.count else {
            exceededLimit = true
            return 0
        }
        bytes.append(contentsOf: data)
        return data.count
    }

    /// curl's CURLOPT_WRITEFUNCTION; CURLOPT_WRITEDATA is an unretained `ResponseBody`.
    static let writeCallback: curl_write_callback = { data, size, count, context in
        guard let context else { return 0 }
        let body = Unmanaged<ResponseBody>.fromOpaque(context).takeUnretainedValue()
        let total = size * count
        guard total > 0, let data else { return 0 }
        return body.append(UnsafeRawBufferPointer(start: data, count: total))
    }
}
