import ArgumentParser
import Foundation
import Spool

struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Send finished tasks back to new/ for a fresh run; prints how many.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Where to take them from: failed or uploaded.")
    var from: String = "failed"

    @Option(help: "Only task ids matching this shell glob (e.g. 'bash_*').")
    var match: String = "*"

    func run() throws {
        let (_, spool) = try global.openSpool(readOnly: false)
        guard let directory = SpoolDirectory(rawValue: from), directory.isTerminal else {
            printError("rebuilder: --from takes failed or uploaded, not '\(from)'")
            throw ExitCode(64)
        }
        let pattern = match
        let report = try spool.requeue(from: directory, matching: { fnmatch(pattern, $0.rawValue, 0) == 0 })
        for (entry, why) in report.skipped { printError("skipped \(entry): \(why)") }
        print("requeued \(report.requeued.count)")
    }
}
