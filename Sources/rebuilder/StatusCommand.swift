import ArgumentParser
import Spool

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Tasks per directory, the longest wait, and tasks in progress with their holders.",
        discussion: "Reads only what is on disk: works on a read-only rsync mirror of a spool too.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let (_, spool) = try global.openSpool(readOnly: true)
        let status = try spool.status()
        if json { return try printJSON(status) }
        print("spool \(status.root) at \(status.generatedAt)")
        print("directory".padding(12) + "tasks".leftPadding(8) + "deferred".leftPadding(10) + "not tasks".leftPadding(11) + "  oldest waiting")
        for directory in status.directories {
            print(directory.name.padding(12) + "\(directory.tasks)".leftPadding(8) + "\(directory.deferred)".leftPadding(10)
                + "\(directory.notTasks)".leftPadding(11) + "  " + (directory.oldestWaitingSeconds.map(formatDuration) ?? "-"))
        }
        print("in progress: \(status.inProgress.count)")
        for task in status.inProgress {
            let holder = task.host.map { "\($0):\(task.pid ?? 0) since \(task.started ?? "?")" } ?? "no holder record"
            print("  \(task.stage.padding(7)) \(task.task)  \(holder)  \(task.state)")
        }
    }
}

func formatDuration(_ seconds: Double) -> String {
    let whole = Int(seconds)
    if whole < 60 { return "\(whole)s" }
    if whole < 3600 { return "\(whole / 60)m\(String(whole % 60).leftPadding(2, "0"))s" }
    if whole < 86400 { return "\(whole / 3600)h\(String(whole % 3600 / 60).leftPadding(2, "0"))m" }
    return "\(whole / 86400)d\(String(whole % 86400 / 3600).leftPadding(2, "0"))h"
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
    func leftPadding(_ width: Int, _ pad: Character = " ") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
