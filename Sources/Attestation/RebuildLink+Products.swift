extension RebuildLink {
    /// A link over these products: apt local file name → sha256 hex.
    public init(products: [String: String]) {
        self.init(products: products.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { Product(name: $0.key, sha256: $0.value) })
    }

    /// Reads the products back from a link's `signed`: each must carry a sha256 hash.
    public init(signed: CanonicalJSON) throws(RebuildLinkError) {
        guard case .object(let members) = signed else { throw RebuildLinkError(reason: "`signed` is not an object") }
        guard let name = members.first(where: { $0.key == "name" })?.value, name == .string("rebuild") else {
            throw RebuildLinkError(reason: "not a link of the step `rebuild`")
        }
        guard case .object(let products)? = members.first(where: { $0.key == "products" })?.value else {
            throw RebuildLinkError(reason: "no `products` object")
        }
        var read: [Product] = []
        for (path, hashes) in products {
            guard case .object(let algorithms) = hashes,
                  case .string(let sha256)? = algorithms.first(where: { $0.key == "sha256" })?.value
            else { throw RebuildLinkError(reason: "product \(path) has no sha256 hash") }
            read.append(Product(name: path, sha256: sha256))
        }
        self.init(products: read)
    }

    /// apt local file name → sha256 hex.
    public var productHashes: [String: String] {
        Dictionary(products.map { ($0.name, $0.sha256) }, uniquingKeysWith: { _, last in last })
    }
}

public struct RebuildLinkError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { "not a rebuild link: \(reason)" }
}
