import Crypto
import FileSystem
import Foundation
import Glibc
import Hexadecimal
import OpenPGP
import RebuilderSettings

/// Takes each command file in `inbox/` through every check, in order: the envelope (size, ASCII,
/// one clearsigned message, one SHA-256+ signature), the signature against the commands keyring,
/// the grammar, the timestamp window, the signer's permission, replay — and carries out what
/// passes. The file then moves to `done/` with `<name>.result` beside it, or to `refused/` with
/// `<name>.reason`; the note is written before the move, so a file is never seen moved without
/// it. Every decision is logged with the signer and the reason.
public struct CommandDesk: Sendable {
    public var settings: CommandsSettings
    public var verifier: SignatureVerifier
    public var actions: CommandActions
    private let accepted: SightingLedger
    private let log: @Sendable (String) -> Void

    public enum Decision: Sendable, Equatable {
        case done(signer: String, result: String)
        case refused(signer: String?, reason: String)
    }

    public init(settings: CommandsSettings, verifier: SignatureVerifier, actions: CommandActions,
                log: @escaping @Sendable (String) -> Void) throws(FileSystemError) {
        self.settings = settings
        self.verifier = verifier
        self.actions = actions
        self.log = log
        for name in ["", "/inbox", "/done", "/refused"] {
            let path = settings.directory + name
            if mkdir(path, 0o750) != 0 && errno != EEXIST { throw .lastError("mkdir", path: path) }
        }
        // A record outlives the window its command could be accepted in, so a replay is refused
        // by the record first and by its stale timestamp after.
        accepted = try SightingLedger(directory: settings.directory + "/accepted",
                                      keepSeconds: settings.maximumAgeSeconds + settings.maximumAheadSeconds + 86_400,
                                      durable: true)
    }

    /// Every command file in the inbox now, oldest name first (hidden files are being written).
    public func inboxNames() -> [[UInt8]] {
        ((try? FileManager.default.contentsOfDirectory(atPath: settings.inbox)) ?? []).filter { !$0.hasPrefix(".") }.sorted().map { Array($0.utf8) }
    }

    /// Removes the accepted-command records whose commands are past their window.
    public func pruneAccepted() { accepted.prune() }

    /// One file of the inbox: checked, carried out or refused, and moved with its note. A name
    /// gone meanwhile (taken by an earlier look) is left alone.
    @discardableResult
    public func process(_ name: String, now: Double) -> Decision? {
        // lstat: a link is refused as not a regular file, not skipped.
        guard (try? FileManager.default.attributesOfItem(atPath: "\(settings.inbox)/\(name)")) != nil else { return nil }
        let path = "\(settings.inbox)/\(name)"
        var signer: String?
        let decision: Decision
        do {
            let bytes = try Self.readCommand(path, limit: settings.maximumBytes)
            let envelope = try CommandEnvelope(bytes, path: path, maximumBytes: settings.maximumBytes)
            let verified: VerifiedSignature
            do {
                verified = try verifier.verify(signedText: envelope.signature.canonicalSignedText, armoredSignature: envelope.signature.armoredSignature)
            } catch {
                throw CommandRefusal(error.message)
            }
            signer = verified.fingerprint + (verified.userID.map { " (\($0))" } ?? "")
            let command = try SignedCommand(parsing: envelope.text)
            try checkWindow(command.timestamp, now: now)
            try checkPermission(command, fingerprint: verified.fingerprint)
            let key = "\(verified.fingerprint)\n\(envelope.text)"
            switch try accepted.sight(key, note: name) {
            case .first: break
            case .again(let first) where first == name: break // this file's own run, cut short: carry it out again
            case .again(let first): throw CommandRefusal("a replay: this signed command was already carried out (as \(first))")
            }
            let result = try actions.perform(command, signer: signer!, key: Self.hexDigest(key))
            decision = .done(signer: signer!, result: "\(command.name): \(result)")
        } catch let refusal as CommandRefusal {
            decision = .refused(signer: signer, reason: refusal.reason)
        } catch {
            decision = .refused(signer: signer, reason: "\(error)")
        }
        file(name, decision)
        return decision
    }

    private func checkWindow(_ timestamp: Double, now: Double) throws(CommandRefusal) {
        if timestamp < now - settings.maximumAgeSeconds {
            throw CommandRefusal("stale: its timestamp is \(Int(now - timestamp)) s old, more than [commands] max-age (\(Int(settings.maximumAgeSeconds)) s)")
        }
        if timestamp > now + settings.maximumAheadSeconds {
            throw CommandRefusal("from the future: its timestamp is \(Int(timestamp - now)) s ahead, more than [commands] max-ahead (\(Int(settings.maximumAheadSeconds)) s)")
        }
    }

    private func checkPermission(_ command: SignedCommand, fingerprint: String) throws(CommandRefusal) {
        guard let permission = settings.signers[fingerprint.uppercased()] else {
            throw CommandRefusal("signer \(fingerprint) may sign no command (no signer.\(fingerprint) in [commands])")
        }
        if let commands = permission.commands, !commands.contains(command.name) {
            throw CommandRefusal("signer \(fingerprint) may not use \(command.name)")
        }
        if let spec = command.spec, let specs = permission.specs, !specs.contains(spec) {
            throw CommandRefusal("signer \(fingerprint) may not command \(spec)")
        }
    }

    /// Note first, then the move: `refused/<name>` always has its reason beside it.
    private func file(_ name: String, _ decision: Decision) {
        let (directory, note, line): (String, String, String)
        switch decision {
        case .done(let signer, let result):
            (directory, note, line) = ("done", "result", "signer \(signer)\n\(result)\n")
            log("\(name): accepted from \(signer): \(result)")
        case .refused(let signer, let reason):
            (directory, note, line) = ("refused", "reason", "signer \(signer ?? "not established")\n\(reason)\n")
            log("\(name): refused (signer \(signer ?? "not established")): \(reason)")
        }
        var target = name
        var suffix = 1
        while FileManager.default.fileExists(atPath: "\(settings.directory)/\(directory)/\(target)") {
            target = "\(name).\(suffix)"
            suffix += 1
        }
        let destination = "\(settings.directory)/\(directory)/\(target)"
        do {
            try AtomicFile.write(Array(line.utf8), to: "\(destination).\(note)", durability: .file)
            // Not flushed: a move lost in a crash leaves the file in the inbox, where it is
            // refused again or (its record naming it) carried out again, to the same effect.
            guard rename("\(settings.inbox)/\(name)", destination) == 0 else { throw FileSystemError.lastError("rename", path: destination) }
        } catch {
            log("\(name): cannot move it to \(directory)/: \(error)")
        }
    }

    /// A regular file's bytes, one more than `limit` at most (so an oversized file is seen as one).
    static func readCommand(_ path: String, limit: Int) throws(CommandRefusal) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw CommandRefusal("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { throw CommandRefusal("\(path) is not a regular file") }
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw CommandRefusal("cannot read \(path): \(String(cString: strerror(errno)))") }
            if got == 0 { break }
            count += got
        }
        return Array(bytes[..<count])
    }

    static func hexDigest(_ text: String) -> String {
        Hex.lowercase(SHA256.hash(data: Array(text.utf8)))
    }
}
