import Foundation
import Rebuild

/// `records/<ID>/build/verdicts`: one verdict per completed build, so that the limit on builds
/// that keep differing (or failing) survives restarts and counts only builds that ran.
struct VerdictTally {
    let path: String

    /// Appends `verdict` and returns how many builds have now ended with it.
    func adding(_ verdict: Verdict) throws -> Int {
        let earlier = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let lines = earlier.split(separator: "\n").map(String.init) + [verdict.rawValue]
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return lines.filter { $0 == verdict.rawValue }.count
    }
}
