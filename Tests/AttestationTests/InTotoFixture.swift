import Foundation
import OpenPGP
@testable import Attestation

/// Keys, layouts and links for checks against the real in-toto tools.
extension Scratch {
    /// The layout key securesystemslib would export, through our exporter.
    func gpgKey(_ fingerprint: String, in home: String) throws -> GPGKey {
        GPGKey(exported: try KeyExporter(home: home).export(fingerprint: fingerprint))
    }

    /// A metablock signed through GPGME, as the attest stage makes them.
    func signed(_ signed: CanonicalJSON, signedBytes: [UInt8]? = nil, home: String, fingerprint: String) throws -> Metablock {
        let packet = try DetachedSigner(home: home, fingerprint: fingerprint).sign(signedBytes ?? signed.bytes)
        return Metablock(signed: signed, signatures: [try GPGSignature(packet: packet)])
    }

    func link(_ products: [String: String], home: String, fingerprint: String) throws -> Metablock {
        let link = RebuildLink(products: products)
        return try signed(link.canonical, signedBytes: link.signableBytes, home: home, fingerprint: fingerprint)
    }

    /// securesystemslib's `export_pubkey`, canonically encoded.
    func exportPubkeyCanonical(_ fingerprint: String, home: String) throws -> [UInt8] {
        let script = """
            import sys
            from securesystemslib.formats import encode_canonical
            from securesystemslib.gpg.functions import export_pubkey
            sys.stdout.buffer.write(encode_canonical(export_pubkey(sys.argv[1], homedir=sys.argv[2])).encode())
            """
        return try checked("/usr/bin/python3", ["-c", script, fingerprint, home]).stdout
    }
}

/// Content standing in for a .deb: the verifiers only hash it.
func debContent(_ seed: UInt8) -> [UInt8] {
    Array("!<arch>\ndebian-binary   ".utf8) + (0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
}

func sha256Hex(_ bytes: [UInt8]) throws -> String {
    let scratch = try Scratch()
    defer { scratch.cleanUp() }
    let path = scratch.path + "/artifact"
    try scratch.write(bytes, to: path)
    return try ArtifactHash.sha256(ofFileAt: path)
}
