import CLinuxCalls
import Crypto
import Glibc

/// One task to deliver: the identity its submitter proposes, its bytes, stored unchanged, and
/// labels the later stages read (`records/<ID>/labels`), such as which project it belongs to.
public struct Submission: Sendable {
    public var proposedID: TaskID
    public var content: [UInt8]
    public var labels: TaskLabels

    public init(proposedID: TaskID, content: [UInt8], labels: TaskLabels = TaskLabels()) {
        self.proposedID = proposedID
        self.content = content
        self.labels = labels
    }
}

public enum DeliveryResult: Sendable, Equatable {
    /// Now waiting in new/ under this identity.
    case delivered(TaskID)
    /// The same content is already in the spool under this identity: nothing was done.
    case alreadyPresent(TaskID)

    public var id: TaskID {
        switch self { case .delivered(let id), .alreadyPresent(let id): return id }
    }
}

extension Spool {
    /// Delivers tasks into new/ the maildir way: each is written under a unique name in tmp/, made
    /// durable, and renamed into new/; one fsync of new/ then covers every rename of the batch.
    /// When this returns, every delivered task survives a power cut.
    ///
    /// Identity: `records/<ID>/` is created with mkdir, which only one writer can win. A taken
    /// name whose recorded content hash matches is the same task (a no-op); a different content
    /// gets the name with a short content hash added.
    public func deliver(_ submissions: [Submission], durable: Bool = true, actor: String = "submit") throws -> [DeliveryResult] {
        var results: [DeliveryResult] = []
        for chunk in stride(from: 0, to: submissions.count, by: 512) {
            let batch = Array(submissions[chunk..<min(chunk + 512, submissions.count)])
            results += try deliverBatch(batch, durable: durable, actor: actor)
        }
        return results
    }

    private func deliverBatch(_ batch: [Submission], durable: Bool, actor: String) throws -> [DeliveryResult] {
        var written: [String] = []
        defer { for temporary in written { unlink(temporary) } }
        for submission in batch {
            written.append(try writeTemporary(submission.content, syncNow: durable && batch.count == 1))
        }
        if durable && batch.count > 1 {
            // One syncfs flushes the whole batch with one journal commit instead of one per file.
            let fd = try SystemCalls.openDirectory(path(.tmp))
            defer { close(fd) }
            if linux_syncfs(fd) != 0 { throw SpoolError("syncfs", path: path(.tmp), errno: errno) }
        }

        var results: [DeliveryResult] = []
        var hashes: [(TaskID, String, Double)] = []
        for (submission, temporary) in zip(batch, written) {
            let hash = Spool.contentHash(submission.content)
            let (id, existing) = try claimIdentity(submission.proposedID, contentHash: hash)
            if existing {
                unlink(temporary)
                results.append(.alreadyPresent(id))
                continue
            }
            // Labels are written before the rename: a task is never seen without them.
            if !submission.labels.isEmpty { try writeLabels(submission.labels, for: id) }
            try SystemCalls.renameNoReplace(temporary, path(.new, id.rawValue))
            results.append(.delivered(id))
            hashes.append((id, hash, Timestamp.now()))
        }
        written = []
        if durable && !hashes.isEmpty { try SystemCalls.syncDirectory(path(.new)) }
        for (id, hash, renamedAt) in hashes {
            // Written after the rename: a recorded hash promises that the task was delivered.
            try SystemCalls.replaceFile(recordPath(id, "sha256"), with: hash + "\n")
            record(HistoryEvent(time: renamedAt, stage: actor, event: "submitted", detail: "sha256 \(hash)"), for: id)
        }
        return results
    }

    private func writeTemporary(_ content: [UInt8], syncNow: Bool) throws -> String {
        let temporary = path(.tmp, Spool.temporaryName())
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        if fd < 0 { throw SpoolError("create", path: temporary, errno: errno) }
        defer { close(fd) }
        do {
            try content.withUnsafeBytes { try SystemCalls.writeAll(fd, $0, path: temporary) }
            if syncNow && fsync(fd) != 0 { throw SpoolError("fsync", path: temporary, errno: errno) }
        } catch {
            unlink(temporary)
            throw error
        }
        return temporary
    }

    /// The identity a content gets: the proposed one, or the proposed one with a content hash.
    private func claimIdentity(_ proposed: TaskID, contentHash: String) throws -> (TaskID, existing: Bool) {
        for candidate in [proposed, Spool.hashedIdentity(proposed, contentHash)] {
            if try SystemCalls.makeDirectory(recordPath(candidate)) { return (candidate, false) }
            if let recorded = try SystemCalls.readSmallFile(recordPath(candidate, "sha256")) {
                if String(decoding: recorded, as: UTF8.self).hasPrefix(contentHash) { return (candidate, true) }
                continue
            }
            // A record without a hash: a delivery that died before writing it, or a task dropped
            // straight into new/. Look for the task itself.
            guard let (directory, entry) = try locate(candidate).first else { return (candidate, false) }
            let found = path(directory, entry.fileName)
            if let bytes = try SystemCalls.readSmallFile(found, limit: Int.max), Spool.contentHash(bytes) == contentHash {
                return (candidate, true)
            }
        }
        throw SpoolError("deliver", path: recordPath(proposed),
                         reason: "the name and its hashed variant are both taken by other content")
    }

    /// The hex SHA-256 that identifies a task's content.
    static func contentHash(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// `name.ext` becomes `name.sha256-0123456789ab.ext`.
    static func hashedIdentity(_ id: TaskID, _ hash: String) -> TaskID {
        let tag = "sha256-" + hash.prefix(12)
        let text = id.rawValue
        let stem: Substring
        let suffix: Substring
        if let dot = text.lastIndex(of: "."), dot != text.startIndex {
            stem = text[..<dot]
            suffix = text[dot...]
        } else {
            stem = Substring(text)
            suffix = ""
        }
        let room = TaskID.maximumLength - tag.count - suffix.count - 1
        return TaskID("\(stem.prefix(room)).\(tag)\(suffix)")!
    }

    /// Unique among every host sharing the spool: time, pid, a counter and the host, as maildir does.
    static func temporaryName() -> String {
        let counter = temporaryCounter.next()
        let stamp = String(Int(Timestamp.now() * 1e6))
        return "\(stamp).P\(getpid())Q\(counter).\(Actor.current.host.filter { $0 != "/" && $0 != ":" })"
    }
}
