import OpenPGP
import Crypto
import _CryptoExtras
import Foundation
import Hexadecimal

/// Why a GPG signature does not verify with a key, as securesystemslib would decide.
public enum SignatureRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// The signature names neither the key nor one of its subkeys.
    case notThisKey(signatureKeyid: String, keyid: String)
    case keyExpired(keyid: String, expiredAt: Int)
    case unsupportedKey(keyid: String, reason: String)
    case malformed(keyid: String, reason: String)
    /// The cryptographic check failed: the signed bytes or the signature were changed.
    case invalid(keyid: String)

    public var description: String {
        switch self {
        case .notThisKey(let signatureKeyid, let keyid): "signature by \(signatureKeyid) is not by key \(keyid) or its subkeys"
        case .keyExpired(let keyid, let expiredAt): "key \(keyid) expired at \(expiredAt) (Unix time)"
        case .unsupportedKey(let keyid, let reason): "key \(keyid): \(reason)"
        case .malformed(let keyid, let reason): "signature by \(keyid): \(reason)"
        case .invalid(let keyid): "signature by \(keyid) is invalid"
        }
    }
}

extension GPGKey {
    /// Checks a signature as `securesystemslib.gpg.functions.verify_signature` does: with the
    /// subkey the signature names if it is one of this key's, refusing an expired (sub)key, always
    /// hashing with SHA-256 over `signedBytes || other_headers || 04 FF || uint32(len(other_headers))`.
    public func verify(_ signature: GPGSignature, over signedBytes: [UInt8], now: Date = Date()) throws(SignatureRejection) {
        guard let key = key(for: signature.keyid) else {
            throw .notThisKey(signatureKeyid: signature.keyid, keyid: keyid)
        }
        // securesystemslib treats 0 (and absence) as "never expires".
        if let created = key.creationTime, let validity = key.validityPeriod, created != 0, validity != 0,
           Double(created + validity) < now.timeIntervalSince1970 {
            throw .keyExpired(keyid: key.keyid, expiredAt: created + validity)
        }
        // securesystemslib picks the verifying code by the primary key's type, whatever the subkey's.
        guard key.publicValues.type == publicValues.type else {
            throw .unsupportedKey(keyid: key.keyid, reason: "a \(key.publicValues.type) subkey of a \(publicValues.type) key, which securesystemslib cannot verify")
        }
        guard let headers = Hex.decode(signature.otherHeaders) else { throw .malformed(keyid: key.keyid, reason: "other_headers is not hex of whole bytes") }
        guard let value = Hex.decode(signature.signature) else { throw .malformed(keyid: key.keyid, reason: "signature is not hex of whole bytes") }
        let count = UInt32(headers.count)
        let trailer: [UInt8] = [0x04, 0xFF, UInt8(count >> 24), UInt8((count >> 16) & 0xFF), UInt8((count >> 8) & 0xFF), UInt8(count & 0xFF)]
        let digest = SHA256.hash(data: signedBytes + headers + trailer)

        let valid: Bool
        switch key.publicValues {
        case .rsa(let n, let e):
            guard let modulus = Hex.decode(n), let exponent = Hex.decode(e) else {
                throw .malformed(keyid: key.keyid, reason: "RSA n or e is not hex of whole bytes")
            }
            let publicKey: _RSA.Signing.PublicKey
            do {
                publicKey = try _RSA.Signing.PublicKey(n: modulus, e: exponent)
            } catch {
                throw .unsupportedKey(keyid: key.keyid, reason: "RSA key refused by swift-crypto: \(error)")
            }
            // GnuPG drops leading zero bytes of the MPI; securesystemslib pads back to the modulus length.
            let padded = Array(repeating: 0, count: max(0, modulus.count - value.count)) + value
            valid = publicKey.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: padded), for: digest, padding: .insecurePKCS1v1_5)
        case .eddsa(let q):
            guard let point = Hex.decode(q), let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: point) else {
                throw .malformed(keyid: key.keyid, reason: "EdDSA q is not a 32-byte Ed25519 public key")
            }
            valid = publicKey.isValidSignature(value, for: Array(digest))
        case .dsa:
            throw .unsupportedKey(keyid: key.keyid, reason: "DSA keys are not supported")
        }
        guard valid else { throw .invalid(keyid: key.keyid) }
    }
}
