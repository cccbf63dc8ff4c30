/// `[stage.get]` keys: how the get stage talks to upstream. Where upstream is comes from the
/// distribution sections (`buildinfos-baseurl` and friends); these are the limits every
/// download obeys, so a broken or hostile server can stall or flood nothing.
public struct GetStageSettings: Sendable, Equatable {
    /// key: connect-timeout — seconds to connect to a server.
    public var connectTimeoutSeconds: Double = 30
    /// key: download-timeout — seconds a whole request (a listing, a buildinfo) may take.
    public var downloadTimeoutSeconds: Double = 300
    /// key: max-listing-size — bytes a listing, package set or archive index may have
    /// (after decompression); a buildinfo may have `[spool] max-task-size`.
    public var maxListingBytes: Int = 512 << 20
    /// key: max-redirects — HTTP redirects followed per request.
    public var maxRedirects: Int = 5
    /// key: unpublished-delay — seconds before a buildinfo that was listed but not yet served
    /// (404) is asked for again; doubled at each miss.
    public var unpublishedDelaySeconds: Double = 3600
    /// key: unpublished-max-delay — the ceiling of that doubling.
    public var unpublishedMaxDelaySeconds: Double = 86400

    public init() {}

    static let keys = ["connect-timeout", "download-timeout", "max-listing-size", "max-redirects",
                       "unpublished-delay", "unpublished-max-delay"]

    mutating func apply(_ key: String, _ value: SettingValue) throws {
        switch key {
        case "connect-timeout": connectTimeoutSeconds = try value.seconds(allowingZero: false)
        case "download-timeout": downloadTimeoutSeconds = try value.seconds(allowingZero: false)
        case "max-listing-size": maxListingBytes = try value.byteSize()
        case "max-redirects": maxRedirects = try value.wholeNumber(in: 0...20)
        case "unpublished-delay": unpublishedDelaySeconds = try value.seconds(allowingZero: false)
        case "unpublished-max-delay": unpublishedMaxDelaySeconds = try value.seconds(allowingZero: false)
        default: preconditionFailure("not a get key: \(key)")
        }
    }
}
