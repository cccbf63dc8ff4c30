import Foundation
@testable import OpenPGP
import Testing

@Suite("AgentSocket")
struct AgentSocketTests {
    @Test("the agent socket of a home is where gpgconf says it is")
    func matchesGpgconf() throws {
        try GnuPGScratch.with { scratch in
            let home = try scratch.makeHome("s")
            _ = try scratch.generateKey(in: home, userID: "Ed <ed@example.org>", algorithm: "ed25519")
            let reported = try scratch.run("/usr/bin/gpgconf", ["--homedir", home, "--list-dirs", "agent-socket"])
            #expect(AgentSocket.path(home: home) == reported.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    @Test("z-base-32 as GnuPG encodes it")
    func zbase32() {
        // Vectors from the z-base-32 specification.
        #expect(AgentSocket.zbase32([0xF0, 0xBF, 0xC7]) == "6n9hq")
        #expect(AgentSocket.zbase32([0xD4, 0x7A, 0x04]) == "4t7ye")
    }
}
