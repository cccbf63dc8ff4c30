import Rebuild
import Spool

/// `records/<ID>/build/verdicts`: one verdict per completed build, so that the limit on builds
/// that keep differing (or failing) survives restarts and counts only builds that ran.
struct VerdictTally {
    let records: TaskRecords
    static let fileName = BuildRecords.verdicts

    /// Appends `verdict` and returns how many builds have now ended with it.
    func adding(_ verdict: Verdict) throws -> Int {
        let earlier = try records.read(Self.fileName).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let lines = earlier.split(separator: "\n").map(String.init) + [verdict.rawValue]
        try records.replace(Self.fileName, with: lines.joined(separator: "\n") + "\n")
        return lines.filter { $0 == verdict.rawValue }.count
    }
}
