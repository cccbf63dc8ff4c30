import OpenPGP

extension GPGKey {
    /// The key as securesystemslib exports it from a keyring: the primary key with the subkeys
    /// GnuPG exported for it.
    public init(exported: ExportedKey) {
        self.init(material: exported.primary, subkeys: exported.subkeys.map { GPGKey(material: $0, subkeys: []) })
    }

    private init(material: PublicKeyMaterial, subkeys: [GPGKey]) {
        let values: PublicValues = switch material.parameters {
        case .rsa(let n, let e): .rsa(n: Hex.encode(n), e: Hex.encode(e))
        case .dsa(let p, let q, let g, let y): .dsa(p: Hex.encode(p), q: Hex.encode(q), g: Hex.encode(g), y: Hex.encode(y))
        case .eddsa(let q): .eddsa(q: Hex.encode(q))
        }
        self.init(keyid: material.fingerprint, publicValues: values, creationTime: material.creationTime,
                  validityPeriod: material.validitySeconds, subkeys: subkeys)
    }
}
