import FileSystem
import Foundation
import Testing

struct SightingLedgerTests {
    @Test func aDeliveryIsTakenOnceAcrossRestartsWithItsFirstNote() throws {
        let directory = "/tmp/ledger-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try SightingLedger(directory: directory, keepSeconds: 60, durable: true).sight("github\n72d3162e", note: "first.asc") == .first)
        #expect(try SightingLedger(directory: directory, keepSeconds: 60, durable: true).sight("github\n72d3162e", note: "again.asc") == .again(note: "first.asc"))
        #expect(try SightingLedger(directory: directory, keepSeconds: 60, durable: true).sight("gitlab\n72d3162e") == .first)
    }
}
