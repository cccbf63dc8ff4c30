import Foundation
import Spool
import Testing

/// The examples from the build stage all the way to uploaded/, their published metadata checked
/// by Debian's `in-toto-verify` and by `rebuilder verify`, and one changed byte refused by both.
@Suite(.serialized) struct PublishedExamplesTests {
    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg-buildpackage")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/in-toto-verify")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/gpg")

    @Test(.enabled(if: available), .timeLimit(.minutes(10)))
    func examplesArePublishedAndVerifiedLikeAptDoes() throws {
        let keys = try SigningKeys()
        let reproducibleKey = try keys.generate("reproducible")
        let unreproducibleKey = try keys.generate("unreproducible")
        let ownerKey = try keys.generate("layout-owner")
        let base = "/var/tmp/examples-\(UUID().uuidString.prefix(8))"
        let published = base + "/published"
        let distribution = try ExampleDistribution.path()
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let fixture = try ExampleDistribution.pipeline(published: published, keys: keys, reproducibleKey: reproducibleKey,
                                                       unreproducibleKey: unreproducibleKey)
        try fixture.startAllStages()
        _ = try fixture.run(["submit", "--dist", "bookworm+examples.amd64",
                             "\(distribution)/buildinfo/hello-repro_1.0_amd64.buildinfo",
                             "\(distribution)/buildinfo/hello-unrepro_1.0_amd64.buildinfo"])
        #expect(fixture.waitUntil(seconds: 400) { fixture.entries(.uploaded).count == 2 },
                "uploaded: \(fixture.entries(.uploaded)) failed: \(fixture.entries(.failed))\n\(fixture.daemonLogs())")
        fixture.stopAll()

        // The report stage published logs and results.
        let project = published + "/debian"
        #expect(FileManager.default.fileExists(atPath: project + "/logs/hello-repro_1.0_amd64.log"))
        #expect(FileManager.default.fileExists(atPath: project + "/results/index.html"))
        #expect(FileManager.default.fileExists(atPath: project + "/diffoscope/hello-unrepro_1.0_amd64/hello-unrepro_1.0_amd64.deb.txt"))
        #expect(!FileManager.default.fileExists(atPath: fixture.spoolRoot + "/records/hello-repro_1.0_amd64.buildinfo/build/output"))

        // A layout for the reproducible key, signed by its owner with in-toto's own tool.
        let layout = base + "/root.layout"
        try fixture.run(["layout", "--key", reproducibleKey, "--threshold", "1", "--keyring", keys.home, "--output", base + "/unsigned.layout"], withConfig: false)
        try SigningKeys.output("/usr/bin/in-toto-sign", ["-f", base + "/unsigned.layout", "--gpg", ownerKey, "--gpg-home", keys.home, "-o", layout])

        let kid8 = String(reproducibleKey.lowercased().prefix(8))
        for deb in ["hello-repro_1.0_amd64.deb", "hello-repro-doc_1.0_all.deb", "hello-unrepro-doc_1.0_all.deb"] {
            let package = String(deb.split(separator: "_")[0])
            let check = "\(base)/check-\(package)"
            try FileManager.default.createDirectory(atPath: check + "/deb", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: check + "/links", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: "\(distribution)/debs/\(deb)", toPath: "\(check)/deb/\(deb)")
            // What apt fetches: sources/<binary>/<version>/metadata, saved as in-toto names it.
            try SigningKeys.output("/bin/cp", ["--dereference", "\(project)/sources/\(package)/1.0/metadata", "\(check)/links/rebuild.\(kid8).link"])
            let inToto = ["--layout", layout, "--gpg", ownerKey, "--gpg-home", keys.home, "--link-dir", check + "/links"]
            #expect(throws: Never.self, "in-toto-verify refused \(deb)") {
                try SigningKeys.output("/usr/bin/in-toto-verify", inToto, directory: check + "/deb")
            }
            let ours = ["verify", "\(check)/deb/\(deb)", "--rebuilder", project, "--layout", layout, "--layout-key", ownerKey, "--keyring", keys.home]
            #expect(try fixture.run(ours, withConfig: false).contains("PASS"))

            // One byte changed: both refuse.
            var bytes = try Data(contentsOf: URL(fileURLWithPath: "\(check)/deb/\(deb)"))
            bytes[bytes.count / 2] ^= 0x01
            try bytes.write(to: URL(fileURLWithPath: "\(check)/deb/\(deb)"))
            #expect(throws: (any Error).self, "in-toto-verify accepted a changed \(deb)") {
                try SigningKeys.output("/usr/bin/in-toto-verify", inToto, directory: check + "/deb")
            }
            #expect(try fixture.run(ours, expectStatus: 1, withConfig: false).contains("FAIL"))
        }

        // The differing arch:any package has only an unreproducible-key link: the layout refuses it.
        let differing = "\(distribution)/debs/hello-unrepro_1.0_amd64.deb"
        #expect(try fixture.run(["verify", differing, "--rebuilder", project, "--layout", layout, "--layout-key", ownerKey,
                                 "--keyring", keys.home], expectStatus: 1, withConfig: false).contains("FAIL"))
        #expect(FileManager.default.fileExists(atPath: "\(project)/unreproducible/sources/hello-unrepro/1.0/metadata"))
    }
}
