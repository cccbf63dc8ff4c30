import Hexadecimal
import OpenPGP

extension GPGKey {
    /// The key as securesystemslib exports it from a keyring: the primary key with the subkeys
    /// GnuPG exported for it.
    public init(exported: ExportedKey) {
        self.init(material: exported.primary, subkeys: exported.subkeys.map { GPGKey(material: $0, subkeys: []) })
    }

    private init(material: PublicKeyMaterial, subkeys: [GPGKey]) {
        let values: PublicValues = switch material.parameters {
        case .rsa(let n, let e): .rsa(n: Hex.lowercase(n), e: Hex.lowercase(e))
        case .dsa(let p, let q, let g, let y): .dsa(p: Hex.lowercase(p), q: Hex.lowercase(q), g: Hex.lowercase(g), y: Hex.lowercase(y))
        case .eddsa(let q): .eddsa(q: Hex.lowercase(q))
        }
        self.init(keyid: material.fingerprint, publicValues: values, creationTime: material.creationTime,
                  validityPeriod: material.validitySeconds, subkeys: subkeys)
    }
}
