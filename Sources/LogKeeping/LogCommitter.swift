import FileSystem
import Foundation
import OpenPGP
import Spool
import Synchronization

/// Takes finished logs into the repository one at a time: compresses a big one, moves it into
/// the work tree, commits it (signed), pushes when a remote is set, and only then signs and writes
/// its receipt. Every step can be repeated after a crash: a log waiting for its commit keeps its
/// meta file in `incoming/`, a committed one waiting for its push or its receipt has its receipt
/// text in `pending/`.
final class LogCommitter: Sendable {
    let directory: String
    let repository: LogRepository
    let signer: DetachedSigner
    let compressAboveBytes: Int
    let log: @Sendable (String) -> Void
    private let serial = Mutex(())

    init(directory: String, repository: LogRepository, signer: DetachedSigner, compressAboveBytes: Int, log: @escaping @Sendable (String) -> Void) {
        self.directory = directory
        self.repository = repository
        self.signer = signer
        self.compressAboveBytes = compressAboveBytes
        self.log = log
    }

    var incoming: String { "\(directory)/\(KeeperDirectory.incoming)" }
    var pending: String { "\(directory)/\(KeeperDirectory.pending)" }
    var receipts: String { "\(directory)/\(KeeperDirectory.receipts)" }

    /// Commits the finished log `id` of `incoming/` and writes its receipt when it can.
    func keep(_ id: String) {
        serial.withLock { _ in
            do {
                try commit(IncomingLog.read(id: id, in: incoming))
            } catch {
                log("log \(id) stays in \(incoming) until the next try: \(error)")
                return
            }
            publishPending()
        }
    }

    /// Pushes, then writes the receipts of every committed log in `pending/`.
    func publishPendingNow() { serial.withLock { _ in publishPending() } }

    var hasPending: Bool { !((try? FileManager.default.contentsOfDirectory(atPath: pending)) ?? []).isEmpty }

    private func commit(_ incomingLog: IncomingLog) throws(LogStreamError) {
        let id = incomingLog.id
        let destination = incomingLog.destination
        let work = repository.path
        let raw = "\(incoming)/\(IncomingLog.logName(id))"
        var compressed = FileManager.default.fileExists(atPath: raw + ".xz")
        if FileManager.default.fileExists(atPath: raw) {
            let size = (try? FileManager.default.attributesOfItem(atPath: raw)[.size] as? Int) ?? 0
            if size > compressAboveBytes {
                try KeeperTool.run("xz", ["-q", "-f", "-T1", raw], environment: ["PATH=/usr/bin:/bin"], timeout: 3600, what: "compressing \(raw) with xz")
                compressed = true
            }
        }
        let committedName = destination + (compressed ? ".xz" : "")
        let source = raw + (compressed ? ".xz" : "")
        do {
            try FileManager.default.createDirectory(atPath: (("\(work)/\(committedName)") as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
        } catch {
            throw LogStreamError("cannot make the log's directory in \(work): \(error)")
        }
        if FileManager.default.fileExists(atPath: source), rename(source, "\(work)/\(committedName)") != 0 {
            throw LogStreamError("cannot move \(source) into \(work): \(String(cString: strerror(errno)))")
        }
        let header = incomingLog.header
        let commit = try repository.commit(committedName, message: "Log of \(header.task) attempt \(header.attempt) (\(header.project))\n\nSent by \(incomingLog.sender).")
        let digest: FileDigest
        do {
            guard let read = try FileDigest.of(path: "\(work)/\(committedName)") else { throw LogStreamError("\(work)/\(committedName) is gone") }
            digest = read
        } catch {
            throw LogStreamError("cannot read \(work)/\(committedName) back: \(error)")
        }
        let receipt = LogReceipt(task: header.task, attempt: header.attempt, project: header.project, log: committedName,
                                 logSHA256: digest.sha256, commit: commit,
                                 time: Timestamp.format(Timestamp.now()), sender: incomingLog.sender)
        do {
            try AtomicFile.write(Array(receipt.text.utf8), to: "\(pending)/\(id)", durability: .file)
        } catch {
            throw LogStreamError("cannot write \(pending)/\(id): \(error)")
        }
        unlink("\(incoming)/\(IncomingLog.metaName(id))")
        log("kept \(committedName) (\(digest.size) bytes) in commit \(commit) for task \(header.task) attempt \(header.attempt)")
    }

    /// Called with `serial` held.
    private func publishPending() {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: pending)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        guard !names.isEmpty else { return }
        do {
            try repository.pushBranch()
        } catch {
            log("push failed, \(names.count) receipts wait for the next try: \(error)")
            return
        }
        for name in names {
            let path = "\(pending)/\(name)"
            do {
                guard let text = FileManager.default.contents(atPath: path) else { continue }
                let receipt = try LogReceipt(parsing: Array(text))
                try writeReceipt(receipt, text: Array(text))
                unlink(path)
            } catch {
                log("the receipt of \(path) waits for the next try: \(error)")
            }
        }
    }

    private func writeReceipt(_ receipt: LogReceipt, text: [UInt8]) throws {
        let folder = "\(receipts)/\(receipt.task.rawValue)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let receiptPath = "\(folder)/\(LogReceipt.fileName(attempt: receipt.attempt))"
        if FileManager.default.fileExists(atPath: receiptPath) {
            // The first log of an attempt keeps its receipt: a later one cannot take its place.
            log("\(receiptPath) exists: \(receipt.log) is kept in commit \(receipt.commit) without a receipt of its own")
            return
        }
        let signature = try signer.sign(text)
        try AtomicFile.write(signature.bytes, to: "\(folder)/\(LogReceipt.signatureName(attempt: receipt.attempt))", durability: .file)
        try AtomicFile.write(text, to: receiptPath, durability: .file)
        log("receipt \(receiptPath): \(receipt.log) sha256 \(receipt.logSHA256) commit \(receipt.commit)")
    }
}
