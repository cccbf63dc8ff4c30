import FileSystem
import Foundation
import OpenPGP
import Spool

/// What the attest stage asks before it signs: did the log keeper keep this build's log? A
/// receipt counts when it exists for exactly this task and attempt, its signature verifies against
/// the keeper's public key, it names this task and attempt inside the signed text, its commit is on
/// the repository's branch and holds the log, and the log in the repository still has the hash the
/// receipt gives.
public struct ReceiptCheck: Sendable {
    public enum Outcome: Sendable, Equatable {
        case kept(LogReceipt)
        /// No receipt yet: the keeper may still be committing or pushing.
        case missing(path: String)
        /// A receipt that does not hold; it will not come right by waiting.
        case refused(String)
    }

    public let directory: String
    public let keyring: String

    /// `directory`: the keeper's (with `receipts/` and `repository/`); `keyring`: a GnuPG home
    /// holding the keeper's public key.
    public init(directory: String, keyring: String) {
        self.directory = directory
        self.keyring = keyring
    }

    public func check(task: TaskID, attempt: Int) -> Outcome {
        let base = "\(directory)/\(KeeperDirectory.receipts)/\(task.rawValue)/"
        let receiptPath = base + LogReceipt.fileName(attempt: attempt)
        guard let text = try? Array(Data(contentsOf: URL(fileURLWithPath: receiptPath))) else { return .missing(path: receiptPath) }
        guard let signature = try? Array(Data(contentsOf: URL(fileURLWithPath: base + LogReceipt.signatureName(attempt: attempt)))) else {
            return .refused("\(receiptPath) has no signature beside it")
        }
        let receipt: LogReceipt
        do {
            let verifier = try SignatureVerifier(home: keyring)
            _ = try verifier.verify(signedText: text, signature: signature)
            receipt = try LogReceipt(parsing: text)
        } catch {
            return .refused("\(receiptPath): \(error)")
        }
        guard receipt.task == task, receipt.attempt == attempt else {
            return .refused("\(receiptPath) is for task \(receipt.task) attempt \(receipt.attempt), not \(task) attempt \(attempt)")
        }
        let repository = LogRepository(path: "\(directory)/\(KeeperDirectory.repository)")
        let logPath = "\(repository.path)/\(receipt.log)"
        let hash: String
        do {
            guard let digest = try FileDigest.of(path: logPath) else { return .refused("\(logPath), named by \(receiptPath), is missing") }
            hash = digest.sha256
        } catch {
            return .refused("\(logPath), named by \(receiptPath), cannot be read: \(error)")
        }
        guard hash == receipt.logSHA256 else {
            return .refused("\(logPath) has SHA-256 \(hash), not \(receipt.logSHA256) as \(receiptPath) says: the log changed after its receipt")
        }
        do {
            guard try repository.committedBlob(receipt.log, in: receipt.commit) == repository.blobOfWorkTreeFile(receipt.log) else {
                return .refused("\(logPath) is not what commit \(receipt.commit) holds")
            }
        } catch {
            return .refused("commit \(receipt.commit) of \(receiptPath) does not hold the log on branch \(LogRepository.branch): \(error)")
        }
        return .kept(receipt)
    }
}

/// The keeper's directory: names of what is in it.
public enum KeeperDirectory {
    public static let repository = "repository"
    public static let receipts = "receipts"
    public static let incoming = "incoming"
    public static let pending = "pending"
}
