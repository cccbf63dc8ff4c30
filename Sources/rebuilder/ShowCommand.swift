import ArgumentParser
import Publishing
import Spool

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Where a task is, its attempts, holder, last reason and history.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false
    @Argument(help: "Task id, with or without its ':N' attempt part.") var task: String

    func run() throws {
        let (_, spool) = try global.openSpool(readOnly: true)
        guard let id = TaskEntry(fileName: task)?.id else {
            printError("rebuilder: '\(task)' is not a task id")
            throw ExitCode(65)
        }
        let report = try spool.report(on: id)
        guard !report.places.isEmpty || !report.history.isEmpty else {
            printError("rebuilder: no task \(id) in \(spool.root)")
            throw ExitCode(1)
        }
        if json { return try printJSON(report) }
        print("task \(report.task)")
        if report.places.isEmpty { print("  not in any directory (only its records remain)") }
        for place in report.places {
            var line = "  in \(place.directory)/\(place.file)  failed attempts: \(place.failedAttempts)"
            if let due = place.dueAt { line += "  next attempt at \(due)" }
            print(line)
        }
        if let holder = report.inProgress {
            print("  held by \(holder.host ?? "?"):\(holder.pid.map(String.init) ?? "?") for \(holder.stage) since \(holder.started ?? "?") (\(holder.state))")
        }
        if let original = report.quarantinedEntry { print("  quarantined entry: '\(original)'") }
        if let reason = report.reason { print("  reason: \(reason)") }
        if let records = try spool.records(of: id, create: false), let kept = try? records.attestation()?.keptLog {
            print("  build log kept: \(kept.path) (sha256 \(kept.sha256)) in commit \(kept.commit)")
            print("  receipt: \(kept.receipt)")
        }
        print("history:")
        for event in report.history {
            print("  \(event.time)  \(event.stage.padding(7)) \(event.event.padding(11)) \(event.actor)  \(event.detail)")
        }
    }
}
