import Hexadecimal
import OpenPGP
/// securesystemslib's GPG signature object (GPG_SIGNATURE_SCHEMA), as in-toto stores it in a
/// metablock's `signatures`: all three fields lowercase hex (see shared/in-toto-format.md §5).
public struct GPGSignature: Sendable, Equatable {
    /// The v4 fingerprint of the key that signed: a subkey's own when a subkey signed.
    public var keyid: String
    /// The signature packet's hashed part, which the v4 trailer covers.
    public var otherHeaders: String
    public var signature: String

    public init(keyid: String, otherHeaders: String, signature: String) {
        self.keyid = keyid
        self.otherHeaders = otherHeaders
        self.signature = signature
    }

    public var json: CanonicalJSON {
        .object([("keyid", .string(keyid)), ("other_headers", .string(otherHeaders)), ("signature", .string(signature))])
    }

    /// Reads a signature object; other members securesystemslib allows (`short_keyid`, `info`)
    /// are not kept.
    public init(json: CanonicalJSON, subject: String) throws(AttestationError) {
        guard json.objectMembers != nil else { throw AttestationError(subject, "expected an object, found \(json.typeName)") }
        func hex(_ name: String) throws(AttestationError) -> String {
            guard let value = json[name] else { throw AttestationError(subject, "has no \(name)") }
            guard let text = value.stringValue, Hex.isHex(text) else { throw AttestationError(subject, "\(name) is not a hex string") }
            return text
        }
        self.init(keyid: try hex("keyid"), otherHeaders: try hex("other_headers"), signature: try hex("signature"))
    }
}
