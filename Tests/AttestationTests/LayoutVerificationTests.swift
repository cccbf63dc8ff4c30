import Foundation
import Testing
@testable import Attestation

/// Why artifacts fail, one reason each, with Ed25519 keys (quick to make) signing through GPGME.
@Suite struct LayoutVerificationTests {
    /// An owner, two rebuilders (`first` listed in layouts, `stranger` only when a test lists it).
    final class Keys {
        let scratch: Scratch
        let ownerHome: String, owner: String, ownerKey: GPGKey
        let firstHome: String, first: String, firstKey: GPGKey
        let strangerHome: String, stranger: String, strangerKey: GPGKey
        let now = Int(Date().timeIntervalSince1970)
        let name = "hello_2.0-1_amd64.deb"
        let sha256 = String(repeating: "ab", count: 32)

        init() throws {
            scratch = try Scratch()
            (ownerHome, owner, ownerKey) = try Self.make(scratch, "Owner")
            (firstHome, first, firstKey) = try Self.make(scratch, "First")
            (strangerHome, stranger, strangerKey) = try Self.make(scratch, "Stranger")
        }

        private static func make(_ scratch: Scratch, _ name: String) throws -> (String, String, GPGKey) {
            let home = try scratch.newHome()
            let fingerprint = try scratch.generateKey(in: home, userID: "\(name) <\(name)@example.org>", algorithm: "ed25519")
            return (home, fingerprint, try scratch.gpgKey(fingerprint, in: home))
        }

        func layout(_ keys: [GPGKey]? = nil, threshold: Int = 1, edit: (inout CanonicalJSON) -> Void = { _ in }) throws -> Metablock {
            var signed = RebuildLayout(keys: keys ?? [firstKey], threshold: threshold, expires: now + 86_400).canonical
            edit(&signed)
            return try scratch.signed(signed, home: ownerHome, fingerprint: owner)
        }

        func link(_ products: [String: String]? = nil, by who: String? = nil) throws -> Metablock {
            let home = who == stranger ? strangerHome : firstHome
            return try scratch.link(products ?? [name: sha256], home: home, fingerprint: who ?? first)
        }

        func verify(_ layout: Metablock, _ links: [Metablock], trusted: [GPGKey]? = nil, at time: Int? = nil) throws -> VerificationFailure? {
            try LayoutVerification(layout: layout, trustedKeys: trusted ?? [ownerKey])
                .verify(artifacts: [name: sha256], links: links, now: Date(timeIntervalSince1970: Double(time ?? now)))[0].failure
        }
    }

    @Test func decidesEachCaseWithItsReason() throws {
        let keys = try Keys()
        defer { keys.scratch.cleanUp() }
        let layout = try keys.layout()
        let link = try keys.link()

        #expect(try keys.verify(layout, [link]) == nil)
        #expect(try keys.verify(layout, [link], at: keys.now + 2 * 86_400) == .layoutExpired(expires: LayoutTime.format(unixTime: keys.now + 86_400)))
        #expect(try keys.verify(layout, [link], trusted: []) == .noLayoutKeys)
        #expect(try keys.verify(layout, [link], trusted: [keys.firstKey]) == .layoutNotSigned(keyid: keys.first))

        var tamperedLayout = layout
        tamperedLayout.signed = RebuildLayout(keys: [keys.firstKey], threshold: 1, expires: keys.now + 86_400, readme: "changed").canonical
        #expect(try keys.verify(tamperedLayout, [link]) == .layoutSignature(.invalid(keyid: keys.owner)))

        guard case .linksMissing("rebuild", 1, 0, let notes)? = try keys.verify(layout, [try keys.link(by: keys.stranger)]) else {
            Issue.record("a stranger's link must not be found")
            return
        }
        #expect(notes == ["link by \(keys.stranger): key not authorized for step rebuild"])
        #expect(try keys.verify(layout, []) == .linksMissing(step: "rebuild", required: 1, found: 0, notes: []))

        var forged = link
        forged.signed = RebuildLink(products: [.init(name: keys.name, sha256: keys.sha256.replacingOccurrences(of: "ab", with: "cd"))]).canonical
        guard case .thresholdNotMet("rebuild", 1, 0, let forgedNotes)? = try keys.verify(layout, [forged]) else {
            Issue.record("a forged link must not count")
            return
        }
        #expect(forgedNotes.last?.hasSuffix("signature by \(keys.first) is invalid") == true)

        #expect(try keys.verify(layout, [try keys.link(["other_1_all.deb": keys.sha256])]) == .notInLink(artifact: keys.name, step: "rebuild"))
        let otherHash = String(repeating: "0", count: 64)
        #expect(try keys.verify(layout, [try keys.link([keys.name: otherHash])])
            == .hashDiffers(artifact: keys.name, step: "rebuild", recorded: #"{"sha256":"\#(otherHash)"}"#, local: keys.sha256))
    }

    @Test func thresholdNeedsDistinctAgreeingRebuilders() throws {
        let keys = try Keys()
        defer { keys.scratch.cleanUp() }
        let layout = try keys.layout([keys.firstKey, keys.strangerKey], threshold: 2)
        let first = try keys.link(), second = try keys.link(by: keys.stranger)
        #expect(try keys.verify(layout, [first, second]) == nil)
        #expect(try keys.verify(layout, [first, first]) == .linksMissing(step: "rebuild", required: 2, found: 1,
                                                                     notes: ["link 2 replaces an earlier one as rebuild.\(keys.first.prefix(8)).link"]))
        let disagreeing = try keys.link([keys.name: keys.sha256, "extra_1_all.deb": keys.sha256], by: keys.stranger)
        #expect(try keys.verify(layout, [first, disagreeing])
            == .linksDisagree(step: "rebuild", fileNames: ["rebuild.\(keys.first.prefix(8)).link", "rebuild.\(keys.stranger.prefix(8)).link"]))
    }

    /// With threshold 1 in-toto uses the first authorized link found, in the layout's key order.
    @Test func thresholdOneUsesTheFirstListedKeysLink() throws {
        let keys = try Keys()
        defer { keys.scratch.cleanUp() }
        let layout = try keys.layout([keys.firstKey, keys.strangerKey])
        let stale = try keys.link([keys.name: String(repeating: "1", count: 64)])
        #expect(try keys.verify(layout, [try keys.link(by: keys.stranger), stale]) != nil)
        #expect(try keys.verify(layout, [try keys.link(), try keys.link(by: keys.stranger)]) == nil)
    }

    @Test func productRulesRefuseProductsThatWereMaterials() throws {
        let keys = try Keys()
        defer { keys.scratch.cleanUp() }
        let layout = try keys.layout()
        var signed = RebuildLink(products: [.init(name: keys.name, sha256: keys.sha256)]).canonical
        guard case .object(var members) = signed else { return }
        members[2] = ("materials", .object([(keys.name, .object([("sha256", .string(keys.sha256))]))]))
        signed = .object(members)
        let link = try keys.scratch.signed(signed, home: keys.firstHome, fingerprint: keys.first)
        #expect(try keys.verify(layout, [link]) == .productRule(step: "rebuild", rule: "DISALLOW *.deb", products: [keys.name]))
    }

    @Test func refusesLayoutsBeyondTheRootLayoutShape() throws {
        let key = GPGKey(keyid: String(repeating: "a", count: 40), publicValues: .eddsa(q: String(repeating: "0", count: 64)), creationTime: 1)
        let base = RebuildLayout(keys: [key], threshold: 1, expires: 2_000_000_000).canonical
        func refused(_ edit: (inout [(key: String, value: CanonicalJSON)]) -> Void) -> String? {
            guard case .object(var members) = base else { return nil }
            edit(&members)
            do {
                _ = try LayoutVerification(layout: Metablock(signed: .object(members)), trustedKeys: [])
                return nil
            } catch {
                #expect(error.subject == "unsupported layout")
                return error.reason
            }
        }
        #expect(refused { _ in } == nil)
        #expect(refused { $0.append(("extra", .null)) } == "the layout has unexpected extra")
        #expect(refused { $0[1].value = .array(($0[1].value.arrayValue ?? []) + ($0[1].value.arrayValue ?? [])) } == "not exactly one step")
        #expect(refused { members in
            guard case .object(var inspection) = members[2].value.arrayValue?[0] else { return }
            inspection[4] = ("run", .array([.string("/bin/sh")]))
            members[2].value = .array([.object(inspection)])
        } == "inspection verify-reprobuilds runs something other than /usr/bin/true")
        #expect(refused { members in
            guard case .object(var step) = members[1].value.arrayValue?[0] else { return }
            step[3] = ("expected_products", .array([.array([.string("ALLOW"), .string("*")])]))
            members[1].value = .array([.object(step)])
        } == "step rebuild expected_products are not [CREATE p, DISALLOW p]")
        #expect(refused { $0[4].value = .string("2030-02-31T00:00:00Z") } == "expires is not a date as YYYY-MM-DDTHH:MM:SSZ")
    }
}
