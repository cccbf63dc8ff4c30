import ArgumentParser
import Foundation
import GetStage
import Spool

extension StageCommand {
    /// The get stage as a daemon: every `[spool] rescan-period` it lists the specs whose
    /// schedule_get has passed, plus the specs named in request files dropped into
    /// `get/requests/` (one spec a line; an empty file means every spec), the way a webhook
    /// asks for an early run. A request file is removed once its run has finished.
    func runGetStage() throws {
        let (configuration, spool) = try global.openSpool(readOnly: false)
        let plan = try GetPlan(configuration: configuration, requested: [])
        let getter = Getter(spool: spool, settings: plan.settings(forceRetry: false))
        let requests = GetRequests(spool: spool)
        repeat {
            let (names, files) = requests.pending()
            var targets = plan.due(spool: spool, now: Date().timeIntervalSince1970)
            if !files.isEmpty {
                let wanted = names.isEmpty ? plan.targets : plan.targets.filter { names.contains($0.spec.raw) }
                targets += wanted.filter { target in !targets.contains { $0.spec.raw == target.spec.raw } }
            }
            if !targets.isEmpty {
                do {
                    _ = try getter.run(targets, progress: GetCommand.show)
                } catch {
                    printError("rebuilder: stage get: \(error)")
                }
            }
            requests.remove(files)
            if once { break }
            Thread.sleep(forTimeInterval: configuration.spool.rescanSeconds)
        } while true
    }
}

/// `get/requests/`: files asking the get stage for an early run of some specs.
struct GetRequests {
    let directory: String

    init(spool: Spool) { directory = "\(spool.root)/get/requests" }

    /// The specs asked for (empty when some file asks for all) and the files read.
    func pending() -> (specs: Set<String>, files: [String]) {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { !$0.hasPrefix(".") }
        var specs: Set<String> = []
        for file in files {
            let words = ((try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace)
            if words.isEmpty { return ([], files) }
            specs.formUnion(words.map(String.init))
        }
        return (specs, files)
    }

    func remove(_ files: [String]) {
        for file in files { unlink("\(directory)/\(file)") }
    }
}
