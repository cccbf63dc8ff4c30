import Crypto
import Foundation
import Testing
@testable import Webhooks

struct HookAuthenticationTests {
    static let secret = Array("It's a Secret to Everybody".utf8)
    /// GitHub's documented example: this payload and secret give this signature.
    static let payload = Array("Hello, World!".utf8)
    static let documented = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"

    @Test func githubsDocumentedExampleVerifies() {
        #expect(HookAuthentication.hubSignatureMatches(Self.documented, body: Self.payload, secret: Self.secret))
    }

    @Test(arguments: [nil, "", "sha256=", "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
                      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18", "sha256=zz", "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"])
    func anythingElseDoesNot(_ header: String?) {
        #expect(!HookAuthentication.hubSignatureMatches(header, body: Self.payload, secret: Self.secret))
    }

    @Test func aChangedBodyDoesNot() {
        #expect(!HookAuthentication.hubSignatureMatches(Self.documented, body: Array("Hello, World?".utf8), secret: Self.secret))
    }

    @Test func gitlabTokensMatchExactly() {
        let secret = Array("token-123".utf8)
        #expect(HookAuthentication.tokenMatches("token-123", secret: secret))
        for wrong in [nil, "", "token-12", "token-1234", "Token-123"] as [String?] {
            #expect(!HookAuthentication.tokenMatches(wrong, secret: secret), "\(String(describing: wrong))")
        }
    }
}

struct ClearsignedBlockTests {
    static let block = """
        -----BEGIN PGP SIGNED MESSAGE-----
        Hash: SHA256

        Rebuild bookworm hello 2.10-3 2026-12-05T08:00:00Z
        -----BEGIN PGP SIGNATURE-----

        iHUEARYIAB0WIQQ=
        -----END PGP SIGNATURE-----

        """

    @Test func onlyTheBlockIsTakenNotTheTextAroundIt() {
        let comment = "Please rebuild:\r\n" + Self.block.replacingOccurrences(of: "\n", with: "\r\n") + "Retry bookworm failed\n"
        #expect(ClearsignedBlock.extract(from: comment) == Self.block)
    }

    @Test func noBlockTwoBlocksOrAHalfBlockIsNone() {
        #expect(ClearsignedBlock.extract(from: "just text") == nil)
        #expect(ClearsignedBlock.extract(from: Self.block + Self.block) == nil)
        #expect(ClearsignedBlock.extract(from: String(Self.block.prefix(80))) == nil)
    }
}

struct HookDecisionTests {
    static func json(_ object: [String: Any]) -> [UInt8] { Array(try! JSONSerialization.data(withJSONObject: object)) }

    @Test func githubEvents() {
        #expect(HookDecision.github(event: "push", body: Self.json(["ref": "refs/heads/main"])) == .requestGet)
        #expect(HookDecision.github(event: "ping", body: Self.json(["zen": "x"])) == .ignore("event ping"))
        #expect(HookDecision.github(event: "issue_comment", body: Self.json(["action": "created", "comment": ["body": ClearsignedBlockTests.block]]))
                == .command(ClearsignedBlockTests.block))
        #expect(HookDecision.github(event: "issue_comment", body: Self.json(["action": "edited", "comment": ["body": ClearsignedBlockTests.block]]))
                == .ignore("issue_comment edited"))
        #expect(HookDecision.github(event: "push", body: Array("not json".utf8)) == .refuse("the body is not a JSON object"))
        #expect(HookDecision.github(event: nil, body: Self.json([:])) == .refuse("no X-GitHub-Event header"))
    }

    @Test func gitlabEvents() {
        #expect(HookDecision.gitlab(event: "Push Hook", body: Self.json(["ref": "main"])) == .requestGet)
        #expect(HookDecision.gitlab(event: "Note Hook", body: Self.json(["object_attributes": ["note": ClearsignedBlockTests.block, "action": "create"]]))
                == .command(ClearsignedBlockTests.block))
        #expect(HookDecision.gitlab(event: "Issue Hook", body: Self.json([:])) == .ignore("event Issue Hook"))
    }
}
