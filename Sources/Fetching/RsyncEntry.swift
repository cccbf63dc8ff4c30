/// One file or directory of an rsync listing.
public struct RsyncEntry: Sendable, Equatable {
    /// Relative to the listed URL, e.g. "pool/main/d/dnf/dnf_4.5.2-1+deb11u1_amd64.buildinfo".
    public var path: String
    public var isDirectory: Bool
    /// The size in bytes; nil for directories (whose sizes say nothing about their content).
    public var size: Int?

    public init(path: String, isDirectory: Bool, size: Int?) {
        self.path = path
        self.isDirectory = isDirectory
        self.size = size
    }
}
