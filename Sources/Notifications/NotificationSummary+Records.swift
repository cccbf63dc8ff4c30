import Foundation
import Publishing
import Rebuild
import Spool

extension NotificationSummary {
    /// The summary of `finish` from what the stages recorded in `records/<ID>/`: the labels, the
    /// build result (verdict per artifact), the attest and report records (published paths), the
    /// reason of a failure and the end of the build log. A record that is missing leaves its part
    /// out; so does one that cannot be read (a link, a file that is not JSON), which is named in
    /// `unreadable`: records do not change once a task is finished, so waiting would not help.
    public init(records: TaskRecords, finish: Finish, linksBase: String?) {
        var unreadable: [String] = []
        func part<Part>(_ read: () throws -> Part?) -> Part? {
            do {
                return try read()
            } catch {
                unreadable.append("\(error)")
                return nil
            }
        }
        // A task whose labels cannot be read is shown where an unlabelled one would be (as the results do).
        let origin = part { try records.origin() } ?? Self.unlabelled
        let project = origin.project.description
        let build = part { try records.buildResult() }
        let attestation = part { try records.attestation() }
        let report = part { try records.publishedReport() }
        let reason = finish.directory != .failed ? nil : part { try records.read("reason") }
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        let log = part { try records.readTail(BuildRecords.log, maximumBytes: LogTail.bytesRead) }
        func link(_ path: String) -> String { Self.link(path, project: project, base: linksBase) }
        self.init(
            id: "\(records.id)@\(finish.key)", task: records.id.rawValue, project: project, distribution: origin.distribution,
            dist: origin.dist, state: finish.directory.rawValue, finished: Timestamp.format(finish.time),
            source: build?.source, version: build?.version, verdict: build?.verdict.rawValue, reason: reason,
            artifacts: (build?.artifacts ?? []).map(Artifact.init),
            links: Links(log: report?.log.map(link), buildinfo: report?.buildinfo.map(link), diffoscope: (report?.diffoscope ?? []).map(link),
                         metadata: (attestation?.links.map(\.mergedLink) ?? []).map(link)),
            logTail: LogTail.lines(of: log), unreadable: unreadable)
    }

    /// An unlabelled task's origin: the default distribution, whose name is a valid project path.
    private static let unlabelled = try! TaskOrigin(labels: [:])

    /// `<base>/<project>/<path>`, or `<project>/<path>` without a base.
    static func link(_ path: String, project: String, base: String?) -> String {
        guard var base else { return "\(project)/\(path)" }
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/\(project)/\(path)"
    }

    /// The summary as sent: sorted keys, so the same summary is the same bytes.
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}

extension NotificationSummary.Artifact {
    init(_ result: ArtifactResult) {
        let verdict: NotificationSummary.ArtifactVerdict = result.matches ? .reproducible : result.rebuiltSHA256 == nil ? .missing : .unreproducible
        self.init(name: result.name, verdict: verdict, expectedSHA256: result.expectedSHA256, rebuiltSHA256: result.rebuiltSHA256)
    }
}
