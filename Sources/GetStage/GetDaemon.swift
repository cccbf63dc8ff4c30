import Foundation
import Spool

/// The get stage as a daemon: every `[spool] rescan-period` it lists the specs whose
/// schedule_get has passed, plus the specs named in request files dropped into
/// `get/requests/` (one spec a line; an empty file means every spec), the way a webhook asks
/// for an early run. A request file is removed once its run has finished.
extension GetPlan {
    /// Runs until stopped (or once); `failed` hears of a run that could not finish.
    public func runDaemon(spool: Spool, once: Bool, progress: (SpecReport) -> Void, failed: (Error) -> Void) {
        let getter = Getter(spool: spool, settings: settings(forceRetry: false))
        let requests = GetRequests(spool: spool)
        repeat {
            let (names, files) = requests.pending()
            var chosen = due(spool: spool, now: Date().timeIntervalSince1970)
            if !files.isEmpty {
                let wanted = names.isEmpty ? targets : targets.filter { names.contains($0.spec.raw) }
                chosen += wanted.filter { target in !chosen.contains { $0.spec.raw == target.spec.raw } }
            }
            if !chosen.isEmpty {
                do {
                    _ = try getter.run(chosen, progress: progress)
                } catch {
                    failed(error)
                }
            }
            requests.remove(files)
            if once { break }
            Thread.sleep(forTimeInterval: configuration.spool.rescanSeconds)
        } while true
    }
}
