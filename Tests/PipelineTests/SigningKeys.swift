import Foundation
import Glibc

/// A GnuPG home in a short /tmp path (gpg-agent's socket lives in it) with keys made by
/// `gpg --batch`, set to sign with SHA-256 as in-toto verifiers need. Stops its agent and removes
/// itself when released.
final class SigningKeys {
    let home: String

    init() throws {
        var template = Array("/tmp/rk-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { throw FixtureError("mkdtemp: \(errno)") }
        home = String(cString: made)
        try "personal-digest-preferences SHA256\n".write(toFile: home + "/gpg.conf", atomically: true, encoding: .utf8)
    }

    deinit {
        _ = try? SigningKeys.output("/usr/bin/gpgconf", ["--homedir", home, "--kill", "gpg-agent"])
        try? FileManager.default.removeItem(atPath: home)
    }

    /// A new key without passphrase; returns its fingerprint. `expire`: gpg's expiry ("never", "1d", "seconds=1").
    func generate(_ name: String, algorithm: String = "rsa3072", expire: String = "never") throws -> String {
        try gpg(["--quick-gen-key", "\(name) <\(name)@rebuilder.example>", algorithm, "sign", expire])
        return try fingerprint(of: name)
    }

    func fingerprint(of name: String) throws -> String {
        let listing = try gpg(["--with-colons", "--list-keys", "\(name)@rebuilder.example"])
        guard let line = listing.split(separator: "\n").first(where: { $0.hasPrefix("fpr:") }),
              let fingerprint = line.split(separator: ":", omittingEmptySubsequences: false).dropFirst(9).first else {
            throw FixtureError("no fingerprint for \(name) in \(listing)")
        }
        return String(fingerprint)
    }

    /// Deletes the secret part of a key, keeping the public one.
    func dropSecret(_ fingerprint: String) throws {
        try gpg(["--yes", "--delete-secret-keys", fingerprint])
    }

    @discardableResult
    func gpg(_ arguments: [String]) throws -> String {
        try SigningKeys.output("/usr/bin/gpg", ["--homedir", home, "--batch", "--quiet", "--pinentry-mode", "loopback", "--passphrase", ""] + arguments)
    }

    @discardableResult
    static func output(_ executable: String, _ arguments: [String], directory: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError("\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: errorData, as: UTF8.self).suffix(1500))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
