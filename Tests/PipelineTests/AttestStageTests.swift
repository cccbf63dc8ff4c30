import Attestation
import Foundation
import Spool
import Testing

/// The attest stage with real keys made by gpg: links in the published tree, merged per source
/// version, and no publishing at all when a configured key is unusable.
@Suite(.serialized) struct AttestStageTests {
    static let gpgAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/gpg")

    /// A spool whose attest stage is the real one, keys from `keys`, published under base/published.
    static func fixture(keys: SigningKeys, reproducible: String?, unreproducible: String? = nil) throws -> PipelineFixture {
        var debian = "[debian]\n"
        if let reproducible { debian += "in-toto-sign-key-fpr = \(reproducible)\n" }
        if let unreproducible { debian += "in-toto-sign-key-unreproducible-fpr = \(unreproducible)\n" }
        let base = "/var/tmp/attest-\(UUID().uuidString.prefix(8))"
        return try PipelineFixture(spoolSettings: "backoff = 0.1\nmax-backoff = 0.1\n", builtInStages: ["attest", "report", "upload"],
                                   sections: "[publish]\nroot = \(base)/published\ngnupg-home = \(keys.home)\n\n\(debian)")
    }

    static func publishedRoot(_ fixture: PipelineFixture) throws -> String {
        let text = try String(contentsOfFile: fixture.configPath, encoding: .utf8)
        let line = text.split(separator: "\n").first { $0.hasPrefix("root = /var/tmp/attest-") }!
        return String(line.dropFirst("root = ".count))
    }

    static func products(_ path: String) throws -> [String: String] {
        let metablock = try Metablock(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        return try RebuildLink(signed: metablock.signed).productHashes
    }

    @Test(.enabled(if: gpgAvailable))
    func twoArchitecturesAttestedAtOnceGiveOneMergedLink() throws {
        let keys = try SigningKeys()
        let fingerprint = try keys.generate("reproducible")
        let fixture = try Self.fixture(keys: keys, reproducible: fingerprint)
        let any = BuiltTask(source: "hello", version: "2.10-3", architecture: "amd64",
                            debs: [.init(name: "hello_2.10-3_amd64.deb", shipped: Array("any".utf8), rebuilt: Array("any".utf8))])
        let all = BuiltTask(source: "hello", version: "2.10-3", architecture: "all",
                            debs: [.init(name: "hello-doc_2.10-3_all.deb", shipped: Array("doc".utf8), rebuilt: Array("doc".utf8))])
        _ = try any.place(in: fixture)
        _ = try all.place(in: fixture)
        try fixture.run(["stage", "attest", "--once", "--no-watch", "--concurrency", "2"])
        #expect(fixture.entries(.reporting).count == 2, "\(fixture.daemonLogs())")

        let directory = try Self.publishedRoot(fixture) + "/debian/sources/hello/2.10-3"
        let kid8 = String(fingerprint.lowercased().prefix(8))
        let merged = try Self.products("\(directory)/rebuild.\(kid8).link")
        #expect(merged == ["hello_2.10-3_amd64.deb": BuiltTask.sha256(Array("any".utf8)),
                           "hello-doc_2.10-3_all.deb": BuiltTask.sha256(Array("doc".utf8))])
        #expect(try Self.products("\(directory)/rebuild.\(kid8).amd64.link").keys.sorted() == ["hello_2.10-3_amd64.deb"])
        #expect(try Self.products("\(directory)/rebuild.\(kid8).all.link").keys.sorted() == ["hello-doc_2.10-3_all.deb"])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/metadata") == "rebuild.\(kid8).link")
        // apt asks for sources/<binary>/<version>/metadata.
        #expect(FileManager.default.fileExists(atPath: try Self.publishedRoot(fixture) + "/debian/sources/hello-doc/2.10-3/metadata"))
    }

    @Test(.enabled(if: gpgAvailable && FileManager.default.isExecutableFile(atPath: "/usr/bin/in-toto-sign")))
    func epochVersionIsPublishedWhereAptAsks() throws {
        let keys = try SigningKeys()
        let fingerprint = try keys.generate("reproducible")
        let fixture = try Self.fixture(keys: keys, reproducible: fingerprint)
        let task = BuiltTask(source: "epoch-product", version: "1:2.0-1", architecture: "all",
                             debs: [.init(name: "epoch-product_2.0-1_all.deb", shipped: Array("e".utf8), rebuilt: Array("e".utf8))])
        _ = try task.place(in: fixture)
        try fixture.run(["stage", "attest", "--once", "--no-watch"])
        let sources = try Self.publishedRoot(fixture) + "/debian/sources/epoch-product"
        // The product carries apt's local name, and every spelling of the version directory leads to it.
        for version in ["1:2.0-1", "1%3a2.0-1", "1%3A2.0-1"] {
            #expect(try Self.products("\(sources)/\(version)/metadata") == ["epoch-product_1%3a2.0-1_all.deb": BuiltTask.sha256(Array("e".utf8))])
        }

        // Served over HTTP, the package apt saved as epoch-product_1%3a2.0-1_all.deb is found and verified.
        let owner = try keys.generate("layout-owner")
        let layout = fixture.base + "/root.layout"
        try fixture.run(["layout", "--key", fingerprint, "--threshold", "1", "--keyring", keys.home, "--output", layout + ".unsigned"], withConfig: false)
        try SigningKeys.output("/usr/bin/in-toto-sign", ["-f", layout + ".unsigned", "--gpg", owner, "--gpg-home", keys.home, "-o", layout])
        let server = try UpstreamServer(serving: try Self.publishedRoot(fixture) + "/debian")
        let deb = fixture.base + "/epoch-product_1%3a2.0-1_all.deb"
        try Data("e".utf8).write(to: URL(fileURLWithPath: deb))
        let verify = ["verify", deb, "--rebuilder", server.baseURL, "--layout", layout, "--layout-key", owner, "--keyring", keys.home]
        #expect(try fixture.run(verify, withConfig: false).contains("PASS"))
        #expect(server.requests.contains("GET /sources/epoch-product/1%3A2.0-1/metadata 200"))
        try Data("f".utf8).write(to: URL(fileURLWithPath: deb))
        #expect(try fixture.run(verify, expectStatus: 1, withConfig: false).contains("FAIL"))
    }

    @Test(.enabled(if: gpgAvailable))
    func differingArtifactsGoToTheUnreproducibleKeyAndMissingOnesNowhere() throws {
        let keys = try SigningKeys()
        let good = try keys.generate("reproducible")
        let bad = try keys.generate("unreproducible")
        let fixture = try Self.fixture(keys: keys, reproducible: good, unreproducible: bad)
        let task = BuiltTask(source: "mixed", version: "1.0-1", architecture: "amd64", debs: [
            .init(name: "mixed_1.0-1_amd64.deb", shipped: Array("a".utf8), rebuilt: Array("b".utf8)),
            .init(name: "mixed-data_1.0-1_amd64.deb", shipped: Array("c".utf8), rebuilt: Array("c".utf8)),
            .init(name: "mixed-gone_1.0-1_amd64.deb", shipped: Array("d".utf8), rebuilt: nil),
        ])
        _ = try task.place(in: fixture)
        try fixture.run(["stage", "attest", "--once", "--no-watch"])
        let project = try Self.publishedRoot(fixture) + "/debian"
        #expect(try Self.products("\(project)/sources/mixed/1.0-1/rebuild.\(good.lowercased().prefix(8)).link")
                == ["mixed-data_1.0-1_amd64.deb": BuiltTask.sha256(Array("c".utf8))])
        #expect(try Self.products("\(project)/unreproducible/sources/mixed/1.0-1/rebuild.\(bad.lowercased().prefix(8)).link")
                == ["mixed_1.0-1_amd64.deb": BuiltTask.sha256(Array("b".utf8))])
    }

    @Test(.enabled(if: gpgAvailable))
    func noKeyConfiguredIsRecordedAndTheTaskMovesOn() throws {
        let keys = try SigningKeys()
        let fixture = try Self.fixture(keys: keys, reproducible: nil)
        let id = try BuiltTask(source: "nokey", version: "1.0-1", architecture: "all",
                               debs: [.init(name: "nokey_1.0-1_all.deb", shipped: [1], rebuilt: [1])]).place(in: fixture)
        try fixture.run(["stage", "attest", "--once", "--no-watch"])
        #expect(fixture.entries(.reporting) == [id])
        let history = try fixture.spool.history(of: TaskID(id)!)
        #expect(history.contains { $0.event == "not-attested" && $0.detail.contains("no in-toto-sign-key-fpr in [debian]") })
        #expect(!FileManager.default.fileExists(atPath: try Self.publishedRoot(fixture) + "/debian/sources"))
    }

    /// Unknown, expired, secret-less and SHA-512-signing keys: a clear reason, a retry, and nothing published.
    @Test(.enabled(if: gpgAvailable), arguments: ["unknown", "expired", "no secret part", "sha512"])
    func unusableKeyIsRetriedWithAReasonAndNothingIsPublished(problem: String) throws {
        let keys = try SigningKeys()
        let fingerprint: String
        let expected: String
        switch problem {
        case "unknown":
            fingerprint = "0123456789ABCDEF0123456789ABCDEF01234567"
            expected = "0123456789"
        case "expired":
            fingerprint = try keys.generate("expiring", expire: "seconds=1")
            Thread.sleep(forTimeInterval: 2)
            expected = "expired"
        case "no secret part":
            fingerprint = try keys.generate("public-only")
            try keys.dropSecret(fingerprint)
            expected = "secret"
        default:
            try "".write(toFile: keys.home + "/gpg.conf", atomically: true, encoding: .utf8)
            fingerprint = try keys.generate("sha512")
            expected = "personal-digest-preferences SHA256"
        }
        let fixture = try Self.fixture(keys: keys, reproducible: fingerprint)
        let id = try BuiltTask(source: "keyed", version: "1.0-1", architecture: "all",
                               debs: [.init(name: "keyed_1.0-1_all.deb", shipped: [2], rebuilt: [2])]).place(in: fixture)
        try fixture.run(["stage", "attest", "--once", "--no-watch"])
        #expect(fixture.entries(.attesting) == ["\(id):1"], "\(problem): \(fixture.entries(.attesting)) \(fixture.entries(.reporting))")
        let deferred = try fixture.spool.history(of: TaskID(id)!).filter { $0.event == "deferred" }
        #expect(deferred.count == 1)
        #expect(deferred.first?.detail.contains("in-toto-sign-key-fpr \(fingerprint)") == true, "\(deferred)")
        #expect(deferred.first?.detail.lowercased().contains(expected.lowercased()) == true, "\(problem): \(deferred)")
        #expect(!FileManager.default.fileExists(atPath: try Self.publishedRoot(fixture) + "/debian/sources/keyed/1.0-1/metadata"))
    }
}
