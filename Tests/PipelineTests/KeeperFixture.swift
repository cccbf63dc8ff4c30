import Foundation
import Glibc

/// A spool whose build stage (a command backend) streams to a real log keeper daemon with its own
/// key, and whose attest stage signs unreproducible results only after the keeper's receipt. The
/// keeper pushes to a bare repository over ssh on 127.0.0.1 when `push` is set.
final class KeeperFixture {
    let pipeline: PipelineFixture
    /// The keeper's secret key, and a home with only its public key (what the attest stage reads).
    let keeperKeys: SigningKeys
    let keeperRing: SigningKeys
    let keeperFingerprint: String
    let attestKeys: SigningKeys
    let attestFingerprint: String
    let directory: String
    let socket: String
    let sshd: SshdFixture?
    var repository: String { directory + "/repository" }
    var bareRepository: String { pipeline.base + "/pushed.git" }
    var published: String { pipeline.base + "/published" }

    /// `backend`: the command backend's shell body (`$out` is the output directory).
    /// `socketDirectory`: where the socket goes, below the fixture (default: a short name in /tmp).
    init(backend: String, push: Bool = false, receiptAttempts: Int = 2, socketDirectory: String? = nil, extraBuildSettings: String = "") throws {
        pipeline = try PipelineFixture()
        keeperKeys = try SigningKeys()
        keeperFingerprint = try keeperKeys.generate("logkeeper", algorithm: "ed25519")
        keeperRing = try SigningKeys()
        let exported = pipeline.base + "/logkeeper.asc"
        try keeperKeys.gpg(["--armor", "--output", exported, "--export", keeperFingerprint])
        try keeperRing.gpg(["--import", exported])
        attestKeys = try SigningKeys()
        attestFingerprint = try attestKeys.generate("unreproducible", algorithm: "ed25519")
        directory = pipeline.base + "/logs"
        let base = pipeline.base
        socket = socketDirectory.map { "\(base)/\($0)/keeper.sock" } ?? "/tmp/lk-\(UUID().uuidString.prefix(8)).sock"
        var pushLines = ""
        if push {
            let sshd = try SshdFixture(directory: pipeline.base + "/sshd")
            self.sshd = sshd
            try SigningKeys.output("/usr/bin/git", ["init", "-q", "--bare", "-b", "main", bareRepository])
            let user = String(cString: getpwuid(getuid()).pointee.pw_name)
            pushLines = "push = \(user)@127.0.0.1:\(bareRepository)\npush-port = \(sshd.port)\npush-key = \(sshd.userKey)\npush-known-hosts = \(sshd.knownHosts)\n"
        } else {
            sshd = nil
        }
        let script = pipeline.base + "/backend"
        try "#!/bin/sh\nout=\"$2\"\nstate='\(pipeline.base)'\n\(backend)\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        try """
        [spool]
        root = \(pipeline.spoolRoot)
        backoff = 0.1
        max-backoff = 0.2
        rescan-period = 0.5
        settle = 0.2
        [stage.build]
        backend = command
        command = \(script)
        unreproducible-attempts = 1
        \(extraBuildSettings)
        [logkeeper]
        socket = \(socket)
        directory = \(directory)
        gnupg-home = \(keeperKeys.home)
        signing-key = \(keeperFingerprint)
        keyring = \(keeperRing.home)
        receipt-attempts = \(receiptAttempts)
        \(pushLines)
        [publish]
        root = \(published)
        gnupg-home = \(attestKeys.home)
        [debian]
        in-toto-sign-key-unreproducible-fpr = \(attestFingerprint)

        """.write(toFile: pipeline.configPath, atomically: true, encoding: .utf8)
    }

    deinit { unlink(socket) }

    /// Starts `rebuilder stage logkeeper` and waits until it listens.
    @discardableResult
    func startKeeper() throws -> Process {
        let process = try pipeline.startStage("logkeeper")
        guard pipeline.waitUntil(seconds: 30, { access(socket, F_OK) == 0 }) else {
            throw FixtureError("the log keeper did not listen at \(socket): \(pipeline.daemonLogs())")
        }
        return process
    }

    func receipt(_ task: String, attempt: Int) -> String { "\(directory)/receipts/\(task)/\(attempt).receipt" }

    /// The receipt's fields by name.
    func receiptFields(_ task: String, attempt: Int) throws -> [String: String] {
        let text = try String(contentsOfFile: receipt(task, attempt: attempt), encoding: .utf8)
        return Dictionary(uniqueKeysWithValues: text.split(separator: "\n").map {
            let parts = $0.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), String(parts[1].dropFirst()))
        })
    }

    /// git in `repository` with the keeper's public key, as anyone checking the logs would run it.
    func git(_ arguments: [String], in repository: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-C", repository, "-c", "safe.directory=*"] + arguments
        process.environment = ["GNUPGHOME": keeperRing.home, "PATH": "/usr/bin:/bin", "LC_ALL": "C"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else { throw FixtureError("git \(arguments) exited \(process.terminationStatus): \(text)") }
        return text
    }
}
