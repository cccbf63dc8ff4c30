import Attestation
import Buildinfo
import Foundation
import LogKeeping
import OpenPGP
import Publishing
import Rebuild
import Spool
import StageDaemon

/// The attest stage: for a built task, signs rebuild links for its .deb files (reproducible ones
/// with the reproducible key, differing ones with the unreproducible key), publishes them in the
/// project's tree, and records what it published in `records/<ID>/attest/attestation.json`.
///
/// A side without a configured key is recorded as not attested and the task moves on; a key that
/// is configured but unusable (unknown, expired, no secret part, wrong digest) is an error the
/// task waits out with retries: nothing is ever published unsigned.
public struct AttestWork: StageWork {
    public var settings: AttestSettings
    private let signers: SignerCache

    public init(settings: AttestSettings) {
        self.settings = settings
        signers = SignerCache(home: settings.gnupgHome)
    }

    public func perform(_ task: ClaimedTask) -> JobVerdict {
        let origin: TaskOrigin
        let plan: AttestationPlan
        do {
            origin = try task.records.origin()
            guard let record = try task.records.buildResult() else {
                return .failed(reason: "\(task.records.path(BuildRecords.result)): no build result; the attest stage attests what the build stage recorded")
            }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: task.path))
            plan = try AttestationPlan(record: record, buildinfo: Buildinfo.parse(Array(bytes), path: task.path))
        } catch let error as BuildinfoError {
            return .failed(reason: error.description)
        } catch let error as TaskLabelError {
            return .failed(reason: "\(task.records.path("labels")): \(error)")
        } catch let error as AttestationPlanError {
            return .failed(reason: "\(task.path): \(error)")
        } catch {
            return .retry(reason: "cannot read the task or its build result: \(error)")
        }

        var keptLog: AttestationRecord.KeptLog?
        if let receipts = settings.receipts {
            switch receipts.check(task: task.id, attempt: plan.attempt) {
            case .missing(let path):
                return .retry(reason: "waiting for the log keeper's receipt (\(path))", limit: settings.receiptAttempts)
            case .refused(let why):
                return .failed(reason: "not signed: the build log's receipt does not hold: \(why)")
            case .kept(let receipt):
                keptLog = AttestationRecord.KeptLog(path: receipt.log, commit: receipt.commit, sha256: receipt.logSHA256,
                                                    receipt: "\(receipts.directory)/\(KeeperDirectory.receipts)/\(task.id)/\(LogReceipt.fileName(attempt: plan.attempt))")
                task.records.record(HistoryEvent(stage: .attest, event: "log-kept", detail: "\(receipt.log) in commit \(receipt.commit)"))
            }
        }
        let linkLog = keptLog.map { RebuildLink.KeptLog(path: $0.path, commit: $0.commit, sha256: $0.sha256) }
        let tree = PublishedTree(root: settings.publishedRoot, project: origin.project)
        let keys = settings.keys[origin.distribution]
        var record = AttestationRecord(project: origin.project.description, links: [], notAttested: [], keptLog: keptLog)
        if plan.groups.isEmpty { record.notAttested.append("no .deb file was rebuilt") }
        for group in plan.groups {
            let keyName = group.side == .reproducible ? AttestSettings.Keys.configurationKeys.reproducible : AttestSettings.Keys.configurationKeys.unreproducible
            guard let fingerprint = group.side == .reproducible ? keys?.reproducible : keys?.unreproducible else {
                record.notAttested.append("\(group.side.rawValue) \(group.products.keys.sorted().joined(separator: ", ")): no \(keyName) in [\(origin.distribution)] or [common]")
                continue
            }
            do {
                let publisher = LinkPublisher(tree: tree, signer: try signers.signer(for: fingerprint))
                let published = try publisher.publish(group, source: plan.source, architecture: plan.architecture, log: linkLog)
                for binary in try publisher.linkBinaries(group.binaries, source: plan.source, side: group.side) {
                    record.notAttested.append("sources/\(binary) is a source package's directory: apt finds \(binary) there, not under \(plan.source)")
                }
                record.links.append(AttestationRecord.Link(
                    side: group.side.rawValue, keyid: published.keyid, version: group.version,
                    architectureLink: published.architectureLink, mergedLink: published.mergedLink, products: group.products))
            } catch let error as OpenPGPError {
                return .retry(reason: "\(keyName) \(fingerprint) of [\(origin.distribution)]: \(error)")
            } catch {
                return .retry(reason: "cannot publish the \(group.side.rawValue) link of \(plan.source) \(group.version) in \(tree.path): \(error)")
            }
        }
        do {
            try task.records.writeAttestation(record)
        } catch {
            return .retry(reason: "cannot write the attestation record: \(error)")
        }
        let detail = record.links.map { "\($0.side) \($0.products.count) by \($0.keyid.prefix(16))" } + record.notAttested.map { "not attested: \($0)" }
        task.records.record(HistoryEvent(stage: .attest, event: record.links.isEmpty ? "not-attested" : "attested",
                                  detail: detail.joined(separator: "; ")))
        return .done
    }
}
