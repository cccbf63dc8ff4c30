import SystemPackage
import CLinuxCalls
import Crypto
import Glibc
import Hexadecimal

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
    /// Identity: one identity is decided by one process at a time, under an flock of
    /// `records/<ID>/`, and never by searching the spool while tasks move: a record is born (by
    /// rename) already holding `delivering-<temporary>`, a hard link to the task file, which stays
    /// until `sha256` is written after the fsync of new/. Whatever instant a delivery dies at, the
    /// next one of that identity reads from the record alone whether the task reached the spool.
    /// The same content is a no-op (even while another delivery of it runs); other content gets
    /// the name with a short content hash added.
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
        defer { for temporary in written { unlink(path(.tmp, temporary)) } }
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
        var delivered: [(id: TaskID, hash: String, temporary: String, at: Double)] = []
        var failure: Error?
        for (submission, temporary) in zip(batch, written) {
            let hash = Spool.contentHash(submission.content)
            do {
                let (result, renamedAt) = try place(submission, hash: hash, temporary: temporary)
                results.append(result)
                if case .delivered(let id) = result { delivered.append((id, hash, temporary, renamedAt)) }
            } catch {
                failure = error
                break
            }
        }
        // What was renamed in is acknowledged even when a later one failed: its record says so.
        if durable && !delivered.isEmpty { try SystemCalls.syncDirectory(path(.new)) }
        for task in delivered {
            // Written after the fsync of new/: a recorded hash promises a durable delivery.
            let records = try records(of: task.id)
            try records.lockExclusively()
            if !records.exists(Spool.contentHashFile) { try records.replace(Spool.contentHashFile, with: task.hash + "\n") }
            try? records.remove(Spool.deliveringPrefix + task.temporary)
            records.unlock()
            record(HistoryEvent(time: task.at, stage: actor, event: "submitted", detail: "sha256 \(task.hash)"), for: task.id)
        }
        if let failure { throw failure }
        return results
    }

    private func writeTemporary(_ content: [UInt8], syncNow: Bool) throws -> String {
        let name = Spool.temporaryName()
        let temporary = path(.tmp, name)
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
        return name
    }

    /// Places one written temporary under the identity its content gets: the proposed one, or the
    /// proposed one with a content hash. Also returns the time just before the rename into new/
    /// (the build stage may claim the task the instant after it), for the history.
    private func place(_ submission: Submission, hash: String, temporary: String) throws -> (DeliveryResult, Double) {
        for candidate in [submission.proposedID, Spool.hashedIdentity(submission.proposedID, hash)] {
            let (records, isNew) = try claimRecords(candidate, temporary: temporary, labels: submission.labels)
            defer { records.unlock() }
            if !isNew {
                if let recorded = try recordedContent(of: records) {
                    if recorded != hash { continue }
                    unlink(path(.tmp, temporary))
                    return (.alreadyPresent(candidate), Timestamp.now())
                }
                // Free: nothing of this identity is in the spool. The record is reused.
                if !submission.labels.isEmpty { try writeLabels(submission.labels, to: records) }
                if linkat(AT_FDCWD, path(.tmp, temporary), records.descriptor, Spool.deliveringPrefix + temporary, 0) != 0 {
                    throw SpoolError("link", path: records.path(Spool.deliveringPrefix + temporary), errno: errno)
                }
            }
            let renamedAt = Timestamp.now()
            do {
                try SystemCalls.renameNoReplace(path(.tmp, temporary), path(.new, candidate.rawValue))
            } catch let error as SpoolError where error.errno == .fileExists {
                try? records.remove(Spool.deliveringPrefix + temporary)
                throw SpoolError("deliver", path: path(.new, candidate.rawValue),
                                 reason: "a task of that name was put into new/ by hand while it was being delivered")
            }
            return (.delivered(candidate), renamedAt)
        }
        throw SpoolError("deliver", path: recordPath(submission.proposedID),
                         reason: "the name and its hashed variant are both taken by other content")
    }

    /// The identity's records, locked. A new one is made in tmp/ with its `delivering-` link (and
    /// labels), locked, and renamed into records/ whole, so no record of a delivery exists
    /// without its link, and nobody else decides the identity before the task is renamed in.
    private func claimRecords(_ id: TaskID, temporary: String, labels: TaskLabels) throws -> (TaskRecords, isNew: Bool) {
        let prepared = path(.tmp, temporary + Spool.preparedRecordsSuffix)
        try SystemCalls.makeDirectory(prepared, mode: 0o775)
        defer { try? SystemCalls.removeEntry(prepared, in: AT_FDCWD, path: prepared) }
        let fresh = TaskRecords(id: id, path: recordPath(id), descriptor: try SystemCalls.openDirectory(prepared))
        // Made in tmp/ but kept in records/: it takes records/' group as if made there, so that with
        // one user per stage every stage may write it.
        try SystemCalls.inheritSetGroup(of: recordsPath, into: fresh.descriptor, path: prepared)
        try fresh.lockExclusively()
        if linkat(AT_FDCWD, path(.tmp, temporary), fresh.descriptor, Spool.deliveringPrefix + temporary, 0) != 0 {
            throw SpoolError("link", path: "\(prepared)/\(Spool.deliveringPrefix)\(temporary)", errno: errno)
        }
        if !labels.isEmpty { try writeLabels(labels, to: fresh) }
        do {
            try SystemCalls.renameNoReplace(prepared, recordPath(id))
            return (fresh, true)
        } catch let error as SpoolError where error.errno == .fileExists || error.errno == .directoryNotEmpty {
            fresh.unlock()
            let existing = try records(of: id)
            try existing.lockExclusively()
            return (existing, false)
        }
    }

    /// The content hash of what the spool holds under this identity, settled from the record: a
    /// recorded `sha256`; else a `delivering-` link left by a delivery that died (its temporary
    /// still in tmp/: never renamed, dropped; renamed: in the spool, so its hash is recorded
    /// now); else, for a task put into new/ by hand or a record whose hash was removed, a search
    /// of the spool that only counts while no state directory changes. Nil: free.
    private func recordedContent(of records: TaskRecords) throws -> String? {
        if let recorded = try records.read(Spool.contentHashFile) {
            for marker in try records.names(in: ".") where marker.hasPrefix(Spool.deliveringPrefix) { try? records.remove(marker) }
            return String(decoding: recorded.prefix(64), as: UTF8.self)
        }
        for marker in try records.names(in: ".") where marker.hasPrefix(Spool.deliveringPrefix) {
            let temporary = String(marker.dropFirst(Spool.deliveringPrefix.count))
            guard let linked = try records.status(marker) else { continue }
            let inTemporary = try SystemCalls.linkStatus(path(.tmp, temporary)).map { $0.isSameFile(as: linked) } ?? false
            if inTemporary || linked.st_nlink < 2 {
                // Never renamed into new/, or no longer anywhere: never acknowledged, not in the spool.
                try records.remove(marker)
                continue
            }
            let hash = Spool.contentHash(try records.read(marker, limit: Int.max) ?? [])
            try acknowledgeFound(hash, in: records)
            try records.remove(marker)
            return hash
        }
        guard let found = try findTaskContent(records.id) else { return nil }
        let hash = Spool.contentHash(found)
        try acknowledgeFound(hash, in: records)
        return hash
    }

    /// Records the hash of a task found in the spool unacknowledged, once it is durable there.
    private func acknowledgeFound(_ hash: String, in records: TaskRecords) throws {
        for directory in SpoolDirectory.taskStates { try SystemCalls.syncDirectory(path(directory)) }
        try records.replace(Spool.contentHashFile, with: hash + "\n")
    }

    /// The content of the task with this identity wherever it is, or nil when it is nowhere. A
    /// find is final; a miss counts only when no state directory changed during the search (their
    /// mtimes, from before the search and older than the clock tick that stamps them): a task
    /// renamed between two directories while they are listed could otherwise be missed and
    /// delivered twice.
    private func findTaskContent(_ id: TaskID) throws -> [UInt8]? {
        let deadline = Timestamp.now() + Spool.searchPatience
        while true {
            let startedAt = Timestamp.now()
            let before = try stateDirectoryStamps()
            for (directory, entry) in try locate(id) {
                if let content = SystemCalls.readRegularFile(path(directory, entry.fileName)) { return content }
            }
            if before.newest < startedAt - Spool.timestampGranularity, try stateDirectoryStamps().values == before.values {
                return nil
            }
            if Timestamp.now() > deadline {
                throw SpoolError("deliver", path: recordPath(id), errno: EAGAIN,
                                 reason: "records/\(id) has no sha256 and the spool kept changing while it was searched for the task; nothing was delivered, try again")
            }
            usleep(2000)
        }
    }

    private func stateDirectoryStamps() throws -> (values: [Int], newest: Double) {
        var values: [Int] = []
        var newest = 0.0
        for directory in SpoolDirectory.taskStates {
            var info = stat()
            if stat(path(directory), &info) != 0 { throw SpoolError("stat", path: path(directory), errno: errno) }
            values.append(info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec)
            newest = max(newest, info.modificationSeconds)
        }
        return (values, newest)
    }

    /// `records/<ID>/sha256`: the content hash of a delivered task.
    static let contentHashFile = "sha256"
    /// `records/<ID>/delivering-<temporary>`: a hard link to a task being delivered.
    static let deliveringPrefix = "delivering-"
    /// `tmp/<temporary>.records`: a new record being prepared.
    static let preparedRecordsSuffix = ".records"
    /// Directory mtimes come from a clock that ticks every few milliseconds (4 ms at HZ=250).
    static let timestampGranularity = 0.02
    /// How long a search waits for the spool to hold still before the delivery gives up.
    static let searchPatience = 10.0

    /// The hex SHA-256 that identifies a task's content.
    static func contentHash(_ bytes: [UInt8]) -> String {
        Hex.lowercase(SHA256.hash(data: bytes))
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
