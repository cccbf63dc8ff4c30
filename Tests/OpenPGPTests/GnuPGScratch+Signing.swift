import Foundation
import OpenPGP
import Testing

/// Keys for signing tests, made with the gpg command line, and independent checks of what the signer made.
extension GnuPGScratch {
    /// Makes gpg (and so GPGME) sign with SHA-256 in `home`, as an operator must for RSA keys.
    func preferSHA256(in home: String) throws {
        try "personal-digest-preferences SHA256\n".write(toFile: home + "/gpg.conf", atomically: false, encoding: .utf8)
    }

    /// Generates a key without passphrase: `algorithm` "rsa3072", "ed25519", ...; `usage` "sign", "cert", ...
    func generateKey(
        in home: String, userID: String, algorithm: String, usage: String = "sign", expire: String = "0",
        fakedTime: Int? = nil
    ) throws -> Key {
        try gpg(home, ["--quick-gen-key", userID, algorithm, usage, expire], fakedTime: fakedTime)
        return try key(in: home, userID: userID)
    }

    /// Adds a subkey to `key` and returns its fingerprint.
    func addSubkey(
        to key: Key, in home: String, algorithm: String, usage: String = "sign", expire: String = "0", fakedTime: Int? = nil
    ) throws -> String {
        let before = try subkeyFingerprints(of: key, in: home)
        try gpg(home, ["--quick-add-key", key.fingerprint, algorithm, usage, expire], fakedTime: fakedTime)
        let added = try subkeyFingerprints(of: key, in: home).filter { !before.contains($0) }
        guard added.count == 1 else { throw CommandError(description: "expected one new subkey of \(key.fingerprint), got \(added)") }
        return added[0]
    }

    /// Fingerprints of `key`'s subkeys (not the primary key), in listing order.
    func subkeyFingerprints(of key: Key, in home: String) throws -> [String] {
        var fingerprints: [String] = []
        var inSubkey = false
        for line in try gpg(home, ["--with-colons", "--list-keys", key.fingerprint]).split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if fields.first == "sub" { inSubkey = true } else if fields.first == "pub" { inSubkey = false }
            if fields.first == "fpr", inSubkey, fields.count > 9 { fingerprints.append(fields[9]) }
        }
        return fingerprints
    }

    /// Revokes `key` in `home` with the revocation certificate gpg stored when it made the key.
    func revoke(_ key: Key, in home: String) throws {
        let stored = try String(contentsOfFile: "\(home)/openpgp-revocs.d/\(key.fingerprint).rev", encoding: .utf8)
        let certificate = newFile(".rev")
        // gpg disarms the certificate's armor line with ':' so that it is not imported by accident.
        try stored.replacingOccurrences(of: ":-----BEGIN PGP PUBLIC KEY BLOCK-----", with: "-----BEGIN PGP PUBLIC KEY BLOCK-----")
            .write(toFile: certificate, atomically: false, encoding: .utf8)
        try gpg(home, ["--import", certificate])
    }

    /// Writes `bytes` to a new file in the scratch directory and returns its path.
    func write(bytes: [UInt8]) throws -> String {
        let path = newFile(".bin")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `gpg --verify` of the detached signature `packet` over `data` with the keys of `home`: throws unless good.
    func verify(_ packet: [UInt8], over data: [UInt8], in home: String) throws {
        try gpg(home, ["--verify", write(bytes: packet), write(bytes: data)])
    }

    /// `gpg --detach-sign --digest-algo SHA256` of `data` by `key`, binary, as in-toto-run signs.
    func detachSign(_ data: [UInt8], in home: String, by fingerprint: String) throws -> [UInt8] {
        let output = newFile(".sig")
        try gpg(home, ["--local-user", fingerprint, "--digest-algo", "SHA256", "--output", output, "--detach-sign", write(bytes: data)])
        return Array(try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    /// securesystemslib's `export_pubkey(fingerprint, homedir=home)`, the layout key in-toto tooling writes.
    func exportPubkey(_ fingerprint: String, home: String) throws -> [String: Any] {
        let script = """
            import json, sys
            from securesystemslib.gpg.functions import export_pubkey
            print(json.dumps(export_pubkey(sys.argv[1], homedir=sys.argv[2])))
            """
        let output = try run("/usr/bin/python3", ["-c", script, fingerprint, home])
        guard let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
            throw CommandError(description: "export_pubkey printed no JSON object: \(output)")
        }
        return object
    }
}

/// Lowercase hex, as securesystemslib writes it.
func hex(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

/// The error `body` throws, or nil (and a recorded failure) if it does not throw one.
func openPGPFailure(_ body: () throws -> Void) -> OpenPGPError? {
    #expect(throws: OpenPGPError.self) { try body() }
}
