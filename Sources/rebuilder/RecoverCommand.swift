import ArgumentParser
import Spool

struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "One recovery sweep of every stage: requeue what dead processes held, drop stale records.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let (_, spool) = try global.openSpool(readOnly: false)
        var total = RecoveryReport()
        for route in StageRoute.all {
            let report = try spool.recover(route: route, syncer: nil)
            total.requeued += report.requeued
            total.failed += report.failed
            total.staleHoldersRemoved += report.staleHoldersRemoved
            for id in report.requeued { print("requeued \(id) (\(route.stage))") }
            for id in report.failed { print("failed \(id) (\(route.stage)): over its attempt limit") }
        }
        let temporaries = try spool.removeAbandonedTemporaries()
        print("requeued \(total.requeued.count), failed \(total.failed.count), stale holder records removed \(total.staleHoldersRemoved), abandoned temporary files removed \(temporaries)")
    }
}
