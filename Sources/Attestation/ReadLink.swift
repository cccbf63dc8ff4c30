import Hexadecimal
import OpenPGP
/// A link metablock as in-toto sees it after apt-transport-in-toto re-reads it with `Link.read`:
/// unknown members of `signed` dropped, missing ones defaulted, `_type` forced to "link" — and the
/// signature checked over the canonical bytes of that re-built object, not of what was received.
struct ReadLink {
    var metablock: Metablock
    var name: String
    var materials: CanonicalJSON
    var products: CanonicalJSON
    var signedBytes: [UInt8]

    /// The name apt gives the file (`{name}.{keyid:.8}.link`), which is how in-toto finds it.
    var fileName: String { "\(name).\(metablock.signatures[0].keyid.prefix(8)).link" }

    init(_ metablock: Metablock) throws(AttestationError) {
        let signed = metablock.signed
        guard !metablock.signatures.isEmpty else { throw AttestationError("link", "has no signatures") }
        guard let name = signed["name"]?.stringValue else { throw AttestationError("link", "name is not a string") }
        let subject = "link \(name) by \(metablock.signatures[0].keyid)"
        func member(_ key: String, default empty: CanonicalJSON) throws(AttestationError) -> CanonicalJSON {
            guard let value = signed[key] else { return empty }
            guard value.typeName == empty.typeName else { throw AttestationError(subject, "\(key): expected an \(empty.typeName), found \(value.typeName)") }
            return value
        }
        let materials = try member("materials", default: .object([]))
        let products = try member("products", default: .object([]))
        for (key, artifacts) in [("materials", materials), ("products", products)] {
            for artifact in artifacts.objectMembers ?? [] {
                guard let hashes = artifact.value.objectMembers, hashes.allSatisfy({ $0.value.stringValue.map(Hex.isHex) == true }) else {
                    throw AttestationError(subject, "\(key)[\(artifact.key)] is not a dictionary of hex digests")
                }
            }
        }
        let normalized = CanonicalJSON.object([
            ("_type", .string("link")),
            ("name", .string(name)),
            ("materials", materials),
            ("products", products),
            ("byproducts", try member("byproducts", default: .object([]))),
            ("command", try member("command", default: .array([]))),
            ("environment", try member("environment", default: .object([]))),
        ])
        self.metablock = metablock
        self.name = name
        self.materials = materials
        self.products = products
        self.signedBytes = normalized.bytes
    }
}
