/// An in-toto metadata file: the `signed` payload (a link or a layout) and the GPG signatures over
/// its canonical bytes.
public struct Metablock: Sendable, Equatable {
    public var signed: CanonicalJSON
    public var signatures: [GPGSignature]

    public init(signed: CanonicalJSON, signatures: [GPGSignature] = []) {
        self.signed = signed
        self.signatures = signatures
    }

    /// Reads a metadata file. Members other than `signatures` and `signed` are ignored, as in-toto
    /// and apt-transport-in-toto ignore them.
    public init(parsing bytes: some Collection<UInt8>) throws(AttestationError) {
        let document: CanonicalJSON
        do {
            document = try CanonicalJSON(parsing: bytes)
        } catch {
            throw AttestationError("metablock", "not valid JSON: \(error)")
        }
        guard document.objectMembers != nil else { throw AttestationError("metablock", "expected an object, found \(document.typeName)") }
        guard let signed = document["signed"] else { throw AttestationError("metablock", "has no signed") }
        guard signed.objectMembers != nil else { throw AttestationError("metablock", "signed: expected an object, found \(signed.typeName)") }
        guard let list = document["signatures"] else { throw AttestationError("metablock", "has no signatures") }
        guard let elements = list.arrayValue else { throw AttestationError("metablock", "signatures: expected an array, found \(list.typeName)") }
        var signatures: [GPGSignature] = []
        for (index, element) in elements.enumerated() {
            signatures.append(try GPGSignature(json: element, subject: "metablock: signatures[\(index)]"))
        }
        self.init(signed: signed, signatures: signatures)
    }

    public var json: CanonicalJSON {
        .object([("signatures", .array(signatures.map(\.json))), ("signed", signed)])
    }

    /// The file as in-toto's `Metablock.dump` writes it, byte for byte.
    public var fileBytes: [UInt8] { json.indentedBytes }

    /// The bytes a signature covers when `signed` is used as it is.
    public var signedBytes: [UInt8] { signed.bytes }
}
