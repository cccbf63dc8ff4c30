/// A public key as securesystemslib's `gpg.functions.export_pubkey` describes it and in-toto
/// layouts carry it under `keys` (GPG_PUBKEY_SCHEMA, shared/in-toto-format.md §7).
public struct GPGKey: Sendable, Equatable {
    /// The algorithm's public values, lowercase hex of the OpenPGP MPIs (EdDSA: the 32-byte point
    /// without its 0x40 prefix).
    public enum PublicValues: Sendable, Equatable {
        case rsa(n: String, e: String)
        case dsa(p: String, q: String, g: String, y: String)
        case eddsa(q: String)

        public var type: String {
            switch self {
            case .rsa: "rsa"
            case .dsa: "dsa"
            case .eddsa: "eddsa"
            }
        }

        public var method: String {
            switch self {
            case .rsa: "pgp+rsa-pkcsv1.5"
            case .dsa: "pgp+dsa-fips-180-2"
            case .eddsa: "pgp+eddsa-ed25519"
            }
        }

        var json: CanonicalJSON {
            switch self {
            case .rsa(let n, let e): .object([("e", .string(e)), ("n", .string(n))])
            case .dsa(let p, let q, let g, let y): .object([("g", .string(g)), ("p", .string(p)), ("q", .string(q)), ("y", .string(y))])
            case .eddsa(let q): .object([("q", .string(q))])
            }
        }
    }

    /// The v4 fingerprint, 40 hex; lowercase as securesystemslib writes it (in-toto matches keyids as
    /// exact strings).
    public var keyid: String
    public var publicValues: PublicValues
    /// Seconds since the epoch.
    public var creationTime: Int?
    /// Seconds after `creationTime` at which the key expires.
    public var validityPeriod: Int?
    /// Signing subkeys whose binding signature checked out; a subkey has no subkeys itself.
    public var subkeys: [GPGKey]

    public init(keyid: String, publicValues: PublicValues, creationTime: Int?, validityPeriod: Int? = nil, subkeys: [GPGKey] = []) {
        self.keyid = keyid
        self.publicValues = publicValues
        self.creationTime = creationTime
        self.validityPeriod = validityPeriod
        self.subkeys = subkeys
    }

    /// The securesystemslib dictionary, with `subkeys` and `validity_period` only when present,
    /// as `export_pubkey` writes it.
    public var canonical: CanonicalJSON {
        var members: [(key: String, value: CanonicalJSON)] = [
            ("hashes", .array([.string(GPGKey.hashAlgorithm)])),
            ("keyid", .string(keyid)),
            ("keyval", .object([("private", .string("")), ("public", publicValues.json)])),
            ("method", .string(publicValues.method)),
            ("type", .string(publicValues.type)),
        ]
        if let creationTime { members.append(("creation_time", .int(creationTime))) }
        if let validityPeriod { members.append(("validity_period", .int(validityPeriod))) }
        if !subkeys.isEmpty { members.append(("subkeys", .object(subkeys.map { ($0.keyid, $0.canonical) }))) }
        return .object(members)
    }

    /// The only hash name securesystemslib's schema allows for GPG keys.
    static let hashAlgorithm = "pgp+SHA2"

    /// The key that `keyid` names: this key or one of its subkeys.
    public func key(for keyid: String) -> GPGKey? {
        keyid == self.keyid ? self : subkeys.first { $0.keyid == keyid }
    }
}
