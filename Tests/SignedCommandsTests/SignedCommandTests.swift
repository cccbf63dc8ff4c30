import Testing
@testable import SignedCommands

struct SignedCommandTests {
    static let noon = 1_796_472_000.0 // 2026-12-05T12:00:00Z

    @Test func eachCommandOfTheGrammar() throws {
        #expect(try SignedCommand(parsing: "Rebuild bookworm+essential.amd64 hello 1:2.10-3 2026-12-05T12:00:00Z\n")
                == SignedCommand(action: .rebuild(spec: "bookworm+essential.amd64", source: "hello", version: "1:2.10-3"), timestamp: Self.noon))
        #expect(try SignedCommand(parsing: "\nRetry bookworm+essential.amd64 unreproducible 2026-12-05T12:00:00Z\n\n")
                == SignedCommand(action: .retry(spec: "bookworm+essential.amd64", scope: .unreproducible, source: nil), timestamp: Self.noon))
        #expect(try SignedCommand(parsing: "Retry bookworm+essential.amd64 failed libc6.1-dev 2026-12-05T12:00:00Z")
                == SignedCommand(action: .retry(spec: "bookworm+essential.amd64", scope: .failed, source: "libc6.1-dev"), timestamp: Self.noon))
        #expect(try SignedCommand(parsing: "Hold hello 2026-12-05T12:00:00Z") == SignedCommand(action: .hold(source: "hello"), timestamp: Self.noon))
        #expect(try SignedCommand(parsing: "Release hello 2026-12-05T12:00:00Z") == SignedCommand(action: .release(source: "hello"), timestamp: Self.noon))
    }

    @Test(arguments: [
        ("", "no command"),
        ("Rebuild bookworm+essential.amd64 hello 2.10-3 2026-12-05T12:00:00Z\nHold bash 2026-12-05T12:00:00Z", "2 lines"),
        ("Rebuild bookworm+essential.amd64 hello 2.10-3", "not a UTC timestamp"),
        ("Rebuild bookworm+essential.amd64 hello 2.10-3 2026-12-05T12:00:00+01:00", "not a UTC timestamp"),
        ("Rebuild bookworm+essential.amd64 hello 2.10-3 2026-02-30T12:00:00Z", "not a UTC timestamp"),
        ("Rebuild bookworm+essential.amd64  hello 2.10-3 2026-12-05T12:00:00Z", "single spaces"),
        ("Rebuild bookworm+essential.amd64 hello 2026-12-05T12:00:00Z", "Rebuild takes"),
        ("Rebuild bookworm hello 2.10-3 2026-12-05T12:00:00Z", "not a distribution spec"),
        ("Rebuild bookworm+essential.amd64 Hello 2.10-3 2026-12-05T12:00:00Z", "not a source package name"),
        ("Rebuild bookworm+essential.amd64 ../x 2.10-3 2026-12-05T12:00:00Z", "not a source package name"),
        ("Rebuild bookworm+essential.amd64 hello 2.10_3 2026-12-05T12:00:00Z", "not a Debian version"),
        ("Retry bookworm+essential.amd64 all 2026-12-05T12:00:00Z", "failed or unreproducible"),
        ("rebuild bookworm+essential.amd64 hello 2.10-3 2026-12-05T12:00:00Z", "unknown command"),
        ("Delete hello 2026-12-05T12:00:00Z", "unknown command"),
    ])
    func everythingElseIsRefusedWithItsReason(text: String, reason: String) {
        #expect(throws: CommandRefusal.self) { try SignedCommand(parsing: text) }
        do {
            _ = try SignedCommand(parsing: text)
        } catch {
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
    }
}
