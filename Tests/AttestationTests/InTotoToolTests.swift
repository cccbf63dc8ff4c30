import Foundation
import Testing
@testable import Attestation

/// Agreement with in-toto 1.3.1 / securesystemslib 0.26 themselves (`in-toto-run`, `in-toto-sign`,
/// `in-toto-verify`, `export_pubkey`).
@Suite struct InTotoToolTests {
    /// A link written by `in-toto-run` re-serializes byte for byte, has the bytes our RebuildLink
    /// signs, and verifies with the exported key; a changed product hash does not.
    @Test func inTotoRunLinkRoundTripsAndVerifies() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let home = try scratch.newHome()
        let fingerprint = try scratch.generateKey(in: home, userID: "Rebuilder <r@example.org>")
        let directory = try scratch.newDirectory()
        let name = "final-product_1.0-1_all.deb"
        try scratch.write(debContent(1), to: "\(directory)/\(name)")
        try scratch.checked("/usr/bin/in-toto-run", ["-n", "rebuild", "-p", name, "-x", "--gpg", fingerprint, "--gpg-home", home], directory: directory)

        let file = try scratch.read("\(directory)/rebuild.\(fingerprint.prefix(8)).link")
        let metablock = try Metablock(parsing: file)
        #expect(metablock.fileBytes == file)
        #expect(metablock.signatures.map(\.keyid) == [fingerprint])
        let sha256 = try sha256Hex(debContent(1))
        #expect(metablock.signedBytes == RebuildLink(products: [.init(name: name, sha256: sha256)]).signableBytes)

        let key = try scratch.gpgKey(fingerprint, in: home)
        #expect(key.canonical.bytes == (try scratch.exportPubkeyCanonical(fingerprint, home: home)))
        try key.verify(metablock.signatures[0], over: metablock.signedBytes)

        let changed = RebuildLink(products: [.init(name: name, sha256: String(repeating: "0", count: 64))])
        #expect(throws: SignatureRejection.invalid(keyid: fingerprint)) {
            try key.verify(metablock.signatures[0], over: changed.signableBytes)
        }
    }

    enum KeyKind: String, CaseIterable, Sendable { case rsa, rsaSigningSubkey, ed25519 }

    /// A link signed through DetachedSigner passes `in-toto-verify` with a RebuildLayout signed by
    /// `in-toto-sign`, and fails once the .deb changes by one byte; LayoutVerification agrees.
    @Test(arguments: KeyKind.allCases)
    func detachedSignerLinkPassesInTotoVerify(kind: KeyKind) throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let ownerHome = try scratch.newHome()
        let owner = try scratch.generateKey(in: ownerHome, userID: "Owner <o@example.org>")
        let rebuilderHome = try scratch.newHome()
        let rebuilder: String
        switch kind {
        case .rsa: rebuilder = try scratch.generateKey(in: rebuilderHome, userID: "R <r@example.org>")
        case .ed25519: rebuilder = try scratch.generateKey(in: rebuilderHome, userID: "R <r@example.org>", algorithm: "ed25519")
        case .rsaSigningSubkey:
            rebuilder = try scratch.generateKey(in: rebuilderHome, userID: "R <r@example.org>", usage: "cert")
            _ = try scratch.addSigningSubkey(to: rebuilder, in: rebuilderHome)
        }
        let rebuilderKey = try scratch.gpgKey(rebuilder, in: rebuilderHome)
        #expect(rebuilderKey.canonical.bytes == (try scratch.exportPubkeyCanonical(rebuilder, home: rebuilderHome)))

        let work = try scratch.newDirectory()
        let layoutPath = "\(work)/root.layout"
        let expires = Int(Date().timeIntervalSince1970) + 30 * 86_400
        try scratch.write(RebuildLayout(keys: [rebuilderKey], threshold: 1, expires: expires, readme: "test").metablock.fileBytes, to: layoutPath)
        try scratch.checked("/usr/bin/in-toto-sign", ["-f", layoutPath, "-o", layoutPath, "--gpg", owner, "--gpg-home", ownerHome])

        let verifyDirectory = try scratch.newDirectory()
        let name = "hello_1%3a2.0-1_amd64.deb"
        try scratch.write(debContent(2), to: "\(verifyDirectory)/\(name)")
        let link = try scratch.link([name: try sha256Hex(debContent(2))], home: rebuilderHome, fingerprint: rebuilder)
        if kind == .rsaSigningSubkey { #expect(link.signatures[0].keyid == rebuilderKey.subkeys.first?.keyid) }
        try scratch.write(link.fileBytes, to: "\(verifyDirectory)/rebuild.\(link.signatures[0].keyid.prefix(8)).link")

        let verification = try LayoutVerification(layout: Metablock(parsing: try scratch.read(layoutPath)),
                                                  trustedKeys: [try scratch.gpgKey(owner, in: ownerHome)])
        let inTotoVerify = ["-l", layoutPath, "--gpg", owner, "--gpg-home", ownerHome]
        let passing = try scratch.run("/usr/bin/in-toto-verify", inTotoVerify, directory: verifyDirectory)
        #expect(passing.status == 0, "\(passing.stderr)")
        let ours = verification.verify(artifacts: [name: try ArtifactHash.sha256(ofFileAt: "\(verifyDirectory)/\(name)")], links: [link])
        #expect(ours.map(\.failure) == [nil])

        var tampered = debContent(2)
        tampered[100] ^= 1
        try scratch.write(tampered, to: "\(verifyDirectory)/\(name)")
        let failing = try scratch.run("/usr/bin/in-toto-verify", inTotoVerify, directory: verifyDirectory)
        #expect(failing.status != 0)
        #expect(failing.stderr.contains("DISALLOW"), "\(failing.stderr)")
        let oursFailing = verification.verify(artifacts: [name: try sha256Hex(tampered)], links: [link])
        guard case .hashDiffers(name, "rebuild", _, _)? = oursFailing.first?.failure else {
            Issue.record("expected hashDiffers, got \(oursFailing)")
            return
        }
    }
}
