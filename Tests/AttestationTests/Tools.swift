import Foundation

struct CommandError: Error, CustomStringConvertible {
    var description: String
}

struct CommandResult {
    var status: Int32
    var stdout: [UInt8]
    var stderr: String
    var text: String { String(decoding: stdout, as: UTF8.self) }
}

/// A scratch directory under /tmp with short paths (gpg-agent sockets live in the homes) that stops
/// the agents of its GnuPG homes and removes itself on `cleanUp`.
final class Scratch {
    let path: String
    private var homes: [String] = []
    private var counter = 0

    init() throws {
        var template = Array("/tmp/att.XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw CommandError(description: "mkdtemp failed") }
        path = String(cString: created)
    }

    func cleanUp() {
        for home in homes { _ = try? run("/usr/bin/gpgconf", ["--homedir", home, "--kill", "gpg-agent"]) }
        // A stopping agent may still be removing its sockets, which makes one removal attempt fail.
        for _ in 0..<10 {
            guard (try? FileManager.default.removeItem(atPath: path)) == nil, FileManager.default.fileExists(atPath: path) else { return }
            usleep(100_000)
        }
    }

    func newDirectory(_ prefix: String = "d") throws -> String {
        counter += 1
        let directory = "\(path)/\(prefix)\(counter)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        return directory
    }

    /// A GnuPG home whose signatures use SHA-256, as in-toto needs.
    func newHome() throws -> String {
        let home = try newDirectory("g")
        homes.append(home)
        try "personal-digest-preferences SHA256\n".write(toFile: home + "/gpg.conf", atomically: false, encoding: .utf8)
        return home
    }

    /// Generates a key without passphrase and returns its fingerprint (lowercase).
    func generateKey(in home: String, userID: String, algorithm: String = "rsa3072", usage: String = "sign") throws -> String {
        try gpg(home, ["--quick-gen-key", userID, algorithm, usage, "never"])
        return try fingerprints(in: home, of: userID)[0]
    }

    /// Adds a signing subkey and returns its fingerprint (lowercase).
    func addSigningSubkey(to fingerprint: String, in home: String, algorithm: String = "rsa3072") throws -> String {
        try gpg(home, ["--quick-add-key", fingerprint, algorithm, "sign", "never"])
        return try fingerprints(in: home, of: fingerprint).last!
    }

    /// Primary then subkey fingerprints, lowercase.
    func fingerprints(in home: String, of key: String) throws -> [String] {
        var result: [String] = []
        for line in try gpg(home, ["--with-colons", "--list-keys", key]).split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            if fields.first == "fpr", fields.count > 9 { result.append(fields[9].lowercased()) }
        }
        return result
    }

    @discardableResult
    func gpg(_ home: String, _ arguments: [String]) throws -> String {
        try checked("/usr/bin/gpg", ["--homedir", home, "--batch", "--passphrase", ""] + arguments).text
    }

    func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func read(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @discardableResult
    func checked(_ executable: String, _ arguments: [String], input: [UInt8]? = nil, directory: String? = nil) throws -> CommandResult {
        let result = try run(executable, arguments, input: input, directory: directory)
        guard result.status == 0 else {
            throw CommandError(description: "\(executable) \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result
    }

    /// Runs a command to completion; output goes through files so that no pipe can fill up.
    func run(_ executable: String, _ arguments: [String], input: [UInt8]? = nil, directory: String? = nil) throws -> CommandResult {
        counter += 1
        let out = "\(path)/out\(counter)", err = "\(path)/err\(counter)", inFile = "\(path)/in\(counter)"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        _ = FileManager.default.createFile(atPath: inFile, contents: Data(input ?? []))
        defer { for file in [out, err, inFile] { try? FileManager.default.removeItem(atPath: file) } }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C.UTF-8"
        process.environment = environment
        process.standardInput = FileHandle(forReadingAtPath: inFile)
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle(forWritingAtPath: err)
        try process.run()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, stdout: try read(out),
                             stderr: String(decoding: try read(err), as: UTF8.self))
    }
}

