import Hexadecimal
import OpenPGP
extension GPGKey {
    /// Reads a key dictionary as a layout's `keys` holds it, checking it against securesystemslib's
    /// GPG_PUBKEY_SCHEMA (the parts verification relies on).
    public init(json: CanonicalJSON) throws(AttestationError) {
        try self.init(json: json, isSubkey: false, subject: "key")
    }

    private init(json: CanonicalJSON, isSubkey: Bool, subject initialSubject: String) throws(AttestationError) {
        var subject = initialSubject
        guard json.objectMembers != nil else { throw AttestationError(subject, "expected an object, found \(json.typeName)") }
        guard let keyid = json["keyid"]?.stringValue, keyid.utf8.count == 40, Hex.isHex(keyid) else {
            throw AttestationError(subject, "keyid is not a 40 hex digit fingerprint")
        }
        subject += " \(keyid)"
        func string(_ value: CanonicalJSON?, _ name: String) throws(AttestationError) -> String {
            guard let text = value?.stringValue else { throw AttestationError(subject, "\(name) is not a string") }
            return text
        }
        func hex(_ value: CanonicalJSON?, _ name: String) throws(AttestationError) -> String {
            let text = try string(value, name)
            guard Hex.isHex(text) else { throw AttestationError(subject, "\(name) is not hex") }
            return text
        }
        func integer(_ name: String) throws(AttestationError) -> Int? {
            guard let value = json[name] else { return nil }
            guard let number = value.intValue, number >= 0 else { throw AttestationError(subject, "\(name) is not a non-negative integer") }
            return number
        }

        guard let hashes = json["hashes"]?.arrayValue, hashes.allSatisfy({ $0.stringValue == GPGKey.hashAlgorithm }) else {
            throw AttestationError(subject, "hashes is not a list of \"\(GPGKey.hashAlgorithm)\"")
        }
        guard let keyval = json["keyval"], keyval.objectMembers != nil else { throw AttestationError(subject, "keyval is not an object") }
        guard keyval["private"]?.stringValue == "" else { throw AttestationError(subject, "keyval.private is not \"\" (a public key has no private part)") }
        guard let publicPart = keyval["public"], publicPart.objectMembers != nil else {
            throw AttestationError(subject, "keyval.public is not an object")
        }
        let type = try string(json["type"], "type")
        let values: PublicValues
        switch type {
        case "rsa":
            // securesystemslib's schema takes any string for e; verification needs hex.
            values = .rsa(n: try hex(publicPart["n"], "keyval.public.n"), e: try hex(publicPart["e"], "keyval.public.e"))
        case "dsa":
            values = .dsa(p: try hex(publicPart["p"], "keyval.public.p"), q: try hex(publicPart["q"], "keyval.public.q"),
                          g: try hex(publicPart["g"], "keyval.public.g"), y: try hex(publicPart["y"], "keyval.public.y"))
        case "eddsa":
            values = .eddsa(q: try hex(publicPart["q"], "keyval.public.q"))
        default:
            throw AttestationError(subject, "type \"\(type)\" is not a GPG key type (rsa, dsa, eddsa)")
        }
        let method = try string(json["method"], "method")
        guard method == values.method else { throw AttestationError(subject, "method \"\(method)\" does not fit type \"\(type)\"") }

        var subkeys: [GPGKey] = []
        if let list = json["subkeys"] {
            guard !isSubkey else { throw AttestationError(subject, "a subkey cannot have subkeys") }
            guard let members = list.objectMembers else { throw AttestationError(subject, "subkeys is not an object") }
            for member in members {
                let subkey = try GPGKey(json: member.value, isSubkey: true, subject: "\(subject): subkey")
                guard subkey.keyid == member.key else {
                    throw AttestationError(subject, "subkey listed as \(member.key) has keyid \(subkey.keyid)")
                }
                subkeys.append(subkey)
            }
        }
        self.init(keyid: keyid, publicValues: values, creationTime: try integer("creation_time"),
                  validityPeriod: try integer("validity_period"), subkeys: subkeys)
    }
}
