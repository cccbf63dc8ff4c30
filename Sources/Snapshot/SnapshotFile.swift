/// A file the snapshot service holds, as its machine-readable API describes it: located by its
/// SHA-1 (`/file/<sha1>`), named and sized by its `fileinfo`.
public struct SnapshotFile: Sendable, Equatable, Hashable {
    /// The file's name in the archive, e.g. `libc6_2.36-9_amd64.deb`.
    public var name: String
    /// Lowercase hex SHA-1: where the file is and what its bytes must hash to.
    public var sha1: String
    public var size: Int

    public init(name: String, sha1: String, size: Int) {
        self.name = name
        self.sha1 = sha1
        self.size = size
    }
}
