import Foundation

/// A temporary directory with short path (/tmp/pgp-XXXXXX: gpg-agent's sockets live in the home and
/// Unix socket paths are short) holding GnuPG homes made by the `gpg` command line. `cleanUp` stops
/// the gpg-agent of every home and removes everything.
final class GnuPGScratch {
    struct Key {
        /// Primary key fingerprint, as the first `fpr` record of `--with-colons --list-keys` shows it.
        var fingerprint: String
        /// The primary key's 16-hex key ID.
        var keyID: String
    }

    struct CommandError: Error, CustomStringConvertible {
        var description: String
    }

    let root: String
    private var homes: [String] = []
    private var files = 0

    init() throws {
        var template = Array("/tmp/pgp-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CommandError(description: "mkdtemp failed: errno \(errno)")
        }
        root = String(cString: made)
    }

    /// Runs `body` with a fresh scratch directory and always cleans up afterwards.
    static func with<R>(_ body: (GnuPGScratch) throws -> R) throws -> R {
        let scratch = try GnuPGScratch()
        defer { scratch.cleanUp() }
        return try body(scratch)
    }

    func cleanUp() {
        for home in homes {
            _ = try? run("/usr/bin/gpgconf", ["--homedir", home, "--kill", "gpg-agent"])
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A new, empty GnuPG home (mode 0700) named `name` inside the scratch directory.
    func makeHome(_ name: String) throws -> String {
        let home = root + "/" + name
        try FileManager.default.createDirectory(
            atPath: home, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        homes.append(home)
        return home
    }

    /// A new file path inside the scratch directory.
    func newFile(_ suffix: String) -> String {
        files += 1
        return root + "/f\(files)\(suffix)"
    }

    /// Runs `executable` and returns its standard output; throws with its standard error when it fails.
    @discardableResult
    func run(_ executable: String, _ arguments: [String]) throws -> String {
        let out = newFile(".out")
        let err = newFile(".err")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle(forWritingAtPath: err)
        try process.run()
        process.waitUntilExit()
        let output = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            let error = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
            throw CommandError(
                description: "\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(error)")
        }
        return output
    }

    @discardableResult
    func gpg(_ home: String, _ arguments: [String], fakedTime: Int? = nil) throws -> String {
        var all = ["--homedir", home, "--batch", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", ""]
        if let fakedTime { all += ["--faked-system-time", "\(fakedTime)!"] }
        return try run("/usr/bin/gpg", all + arguments)
    }

    /// Generates an ed25519 signing key without passphrase in `home`.
    func generateKey(
        in home: String, userID: String, expire: String = "0", fakedTime: Int? = nil
    ) throws -> Key {
        try gpg(home, ["--quick-gen-key", userID, "ed25519", "sign", expire], fakedTime: fakedTime)
        return try key(in: home, userID: userID)
    }

    /// The primary fingerprint and key ID of the key matching `userID` in `home`.
    func key(in home: String, userID: String) throws -> Key {
        let listing = try gpg(home, ["--with-colons", "--list-keys", userID])
        var keyID: String?
        for line in listing.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if fields.first == "pub", fields.count > 4 { keyID = fields[4] }
            if fields.first == "fpr", fields.count > 9, let keyID {
                return Key(fingerprint: fields[9], keyID: keyID)
            }
        }
        throw CommandError(description: "no key for \(userID) in \(home):\n\(listing)")
    }

    /// Copies the public key `fingerprint` from home `from` into home `to`.
    func copyPublicKey(_ fingerprint: String, from: String, to: String) throws {
        let file = newFile(".asc")
        try gpg(from, ["--armor", "--output", file, "--export", fingerprint])
        try gpg(to, ["--import", file])
    }

    /// `text` clearsigned by `fingerprint`'s key in `home`.
    func clearsign(_ text: String, in home: String, by fingerprints: [String], fakedTime: Int? = nil) throws -> String {
        let input = newFile(".txt")
        let output = newFile(".asc")
        try text.write(toFile: input, atomically: false, encoding: .utf8)
        try gpg(
            home, fingerprints.flatMap { ["--local-user", $0] } + ["--output", output, "--clearsign", input],
            fakedTime: fakedTime)
        return try String(contentsOfFile: output, encoding: .utf8)
    }
}

/// A cleartext-signed message split by RFC 4880 §7.1, independently of the Buildinfo parser.
struct SplitCleartext {
    /// Text between the blank line after the armor headers and `-----BEGIN PGP SIGNATURE-----`:
    /// dash-unescaped, trailing spaces and tabs removed per line, lines joined with CRLF, no final
    /// line ending.
    var canonicalText: [UInt8]
    /// From `-----BEGIN PGP SIGNATURE-----` to `-----END PGP SIGNATURE-----`.
    var armoredSignature: String

    init(_ message: String) throws {
        var lines = message.split(separator: "\n", omittingEmptySubsequences: false)[...]
        guard lines.popFirst() == "-----BEGIN PGP SIGNED MESSAGE-----" else {
            throw GnuPGScratch.CommandError(description: "not a cleartext signature:\n\(message)")
        }
        while let header = lines.popFirst(), !header.isEmpty {}
        var text: [Substring] = []
        while let line = lines.first, line != "-----BEGIN PGP SIGNATURE-----" {
            lines.removeFirst()
            var content = line.hasPrefix("- ") ? line.dropFirst(2) : line
            while let last = content.last, last == " " || last == "\t" { content.removeLast() }
            text.append(content)
        }
        guard !lines.isEmpty else {
            throw GnuPGScratch.CommandError(description: "no signature block:\n\(message)")
        }
        canonicalText = Array(text.joined(separator: "\r\n").utf8)
        armoredSignature = lines.joined(separator: "\n")
    }
}
