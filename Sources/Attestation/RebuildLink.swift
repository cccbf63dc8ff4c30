/// The `signed` part of an in-toto v0.9 link for the step `rebuild`, as apt-transport-in-toto
/// reads it: exactly the seven keys in-toto 1.x's `Link` has, products keyed by apt's local file
/// name with a sha256-only hash dict (see shared/in-toto-format.md).
public struct RebuildLink: Sendable, Equatable {
    public struct Product: Sendable, Equatable {
        /// apt's local name: `<package>_<version, ':' written as %3a>_<arch>.deb`.
        public var name: String
        public var sha256: String

        public init(name: String, sha256: String) {
            self.name = name
            self.sha256 = sha256.lowercased()
        }

        /// apt's local file name for a binary package: the epoch's colon becomes `%3a`.
        public static func aptFileName(package: String, version: String, architecture: String) -> String {
            "\(package)_\(version.split(separator: ":", omittingEmptySubsequences: false).joined(separator: "%3a"))_\(architecture).deb"
        }
    }

    /// A build log the log keeper committed, which the link was made after: anyone can fetch the
    /// exact log from the keeper's repository by its commit and check it by its hash.
    public struct KeptLog: Sendable, Equatable {
        /// The log's path in the keeper's repository.
        public var path: String
        public var commit: String
        public var sha256: String

        public init(path: String, commit: String, sha256: String) {
            self.path = path
            self.commit = commit
            self.sha256 = sha256
        }
    }

    public var products: [Product]
    /// In the link's `environment` as `rebuild-logs`: path → commit and sha256. A merged link
    /// carries the logs of every architecture it merges.
    public var logs: [KeptLog]

    public init(products: [Product], logs: [KeptLog] = []) {
        self.products = products
        self.logs = logs
    }

    static let logsKey = "rebuild-logs"

    public var canonical: CanonicalJSON {
        .object([
            ("_type", .string("link")),
            ("name", .string("rebuild")),
            ("materials", .object([])),
            ("products", .object(products.map { ($0.name, .object([("sha256", .string($0.sha256))])) })),
            ("byproducts", .object([])),
            ("command", .array([])),
            ("environment", .object(logs.isEmpty ? [] : [(Self.logsKey, .object(logs.map {
                ($0.path, .object([("commit", .string($0.commit)), ("sha256", .string($0.sha256))]))
            }))])),
        ])
    }

    /// The bytes a signature covers.
    public var signableBytes: [UInt8] { canonical.bytes }
}
