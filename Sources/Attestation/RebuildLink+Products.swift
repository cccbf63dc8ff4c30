extension RebuildLink {
    /// A link over these products: apt local file name → sha256 hex.
    public init(products: [String: String], logs: [KeptLog] = []) {
        self.init(products: products.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { Product(name: $0.key, sha256: $0.value) }, logs: logs)
    }

    /// Reads the products back from a link's `signed`: each must carry a sha256 hash.
    public init(signed: CanonicalJSON) throws(AttestationError) {
        guard signed["name"]?.stringValue == "rebuild" else {
            throw AttestationError("link", "not a link of the step `rebuild`")
        }
        guard let products = signed["products"]?.objectMembers else { throw AttestationError("link", "no `products` object") }
        var read: [Product] = []
        for (path, hashes) in products {
            guard let sha256 = hashes["sha256"]?.stringValue else { throw AttestationError("link", "product \(path) has no sha256 hash") }
            read.append(Product(name: path, sha256: sha256))
        }
        var logs: [KeptLog] = []
        for (path, log) in signed["environment"]?[Self.logsKey]?.objectMembers ?? [] {
            guard let commit = log["commit"]?.stringValue, let sha256 = log["sha256"]?.stringValue else {
                throw AttestationError("link", "rebuild log \(path) has no commit or sha256")
            }
            logs.append(KeptLog(path: path, commit: commit, sha256: sha256))
        }
        self.init(products: read, logs: logs)
    }

    /// apt local file name → sha256 hex.
    public var productHashes: [String: String] {
        Dictionary(products.map { ($0.name, $0.sha256) }, uniquingKeysWith: { _, last in last })
    }
}
