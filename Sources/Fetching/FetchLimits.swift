/// Bounds on one download, so that a slow, stalled or hostile upstream costs a stage a known
/// amount of time and memory rather than an unbounded one.
public struct FetchLimits: Sendable, Equatable {
    /// Seconds to wait for the TCP (and TLS) connection.
    public var connectTimeout: Double
    /// Seconds for the whole request, body included: a server trickling bytes cannot hold a stage.
    public var timeout: Double
    /// The largest body accepted. The transfer stops as soon as it is exceeded, or at once when
    /// the server declares a larger Content-Length.
    public var maximumBytes: Int
    /// Redirects followed; 0 means a redirect is an error.
    public var maximumRedirects: Int

    public init(connectTimeout: Double = 30, timeout: Double = 300, maximumBytes: Int = 64 << 20, maximumRedirects: Int = 5) {
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maximumBytes = maximumBytes
        self.maximumRedirects = maximumRedirects
    }
}
