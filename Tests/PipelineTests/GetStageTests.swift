import Foundation
import Glibc
import Spool
import Testing

/// `rebuilder get` against real servers on 127.0.0.1: a web server with Debian's real pool
/// listing and package set, a small mirror with generated Sources.xz/Packages.xz, and an
/// rsync daemon with a Qubes-like tree.
@Suite("get stage") struct GetStageTests {
    /// Real Debian data kept in the repository (copies of shared/fixtures/debian/).
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path
    static let listing = "\(tests)/UpstreamTests/Fixtures/buildinfo-pool_unstable_amd64.list"
    static let testSet = "\(tests)/UpstreamTests/Fixtures/test.pkgset"
    static let binNMU = "\(tests)/BuildinfoTests/Fixtures/bash_5.1-3+b1_amd64.buildinfo"

    /// The builds the original's own test expects from the real listing and test.pkgset.
    static let testSetBuilds = [
        ("apt", "2.3.9"), ("bash", "5.1-2+b3"), ("coreutils", "8.32-4+b1"), ("shadow", "4.8.1-1"), ("util-linux", "2.37.2-3"),
    ]

    /// A web root with the real listing, the real test.pkgset and a buildinfo for each build.
    static func debianTree(_ root: String) throws {
        try copy(listing, to: "\(root)/buildinfo-pool_unstable_amd64.list")
        try copy(testSet, to: "\(root)/pkg-sets/unstable/test.pkgset")
        for (source, version) in testSetBuilds {
            try write(buildinfo(source, version, "amd64"), to: "\(root)\(poolPath(source, version, "amd64"))")
        }
    }

    /// That tree, served on 127.0.0.1 (files are read at each request, so tests may change them).
    final class DebianUpstream {
        let www = "/var/tmp/get-www-\(UUID().uuidString.prefix(8))"
        let server: UpstreamServer

        init() throws {
            try GetStageTests.debianTree(www)
            server = try UpstreamServer(serving: www)
        }

        deinit { try? FileManager.default.removeItem(atPath: www) }

        /// The [debian] keys pointing at it; `base` is put before the buildinfo paths.
        func settings(base: String = "") -> String {
            "buildinfos-baseurl = \(server.baseURL)\(base)\npackage-sets-baseurl = \(server.baseURL)/pkg-sets"
        }
    }

    static func poolPath(_ source: String, _ version: String, _ architecture: String) -> String {
        let prefix = source.hasPrefix("lib") ? String(source.prefix(4)) : String(source.prefix(1))
        return "/buildinfo-pool/\(prefix)/\(source)/\(source)_\(version)_\(architecture).buildinfo"
    }

    /// A buildinfo of one package; `architecture` as its field says it ("source amd64", "all").
    static func buildinfo(_ source: String, _ version: String, _ architecture: String) -> String {
        let debArchitecture = architecture.split(separator: " ").last.map(String.init) ?? "all"
        let deb = BuiltTask.Deb(name: "\(source)_\(version)_\(debArchitecture).deb", shipped: Array(source.utf8), rebuilt: nil)
        return BuiltTask(source: source, version: version, architecture: architecture, debs: [deb]).buildinfo
    }

    static func copy(_ from: String, to path: String) throws {
        try write(String(contentsOfFile: from, encoding: .utf8), to: path)
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func fixture(dist: String, settings: String, get: String = "", spool: String = "") throws -> PipelineFixture {
        try PipelineFixture(spoolSettings: spool, sections: "[stage.get]\n\(get)\n[debian]\ndist = \(dist)\n\(settings)\n")
    }

    /// Every name in tmp/ and every record without its content hash: what a half-done delivery leaves.
    static func halfWritten(_ spool: Spool) throws -> [String] {
        let temporary = try FileManager.default.contentsOfDirectory(atPath: spool.path(.tmp))
        let records = try FileManager.default.contentsOfDirectory(atPath: spool.recordsPath)
            .filter { !FileManager.default.fileExists(atPath: "\(spool.recordsPath)/\($0)/sha256") }
        return temporary + records
    }

    @Test func poolListingQueuesEachBuildOnceAndThenOnlyANewerVersion() throws {
        let upstream = try DebianUpstream()
        let www = upstream.www
        let fixture = try Self.fixture(dist: "unstable+test.amd64", settings: upstream.settings())

        let first = try fixture.runCapturing(["get"])
        #expect(first.status == 0, "\(first.errors)")
        #expect(first.output == "unstable+test.amd64: found 5, new 5, skipped 0, failed 0\n")
        let names = Self.testSetBuilds.map { "\($0.0)_\($0.1)_amd64.buildinfo" }
        #expect(fixture.entries(.new).sorted() == names)
        let bash = try String(contentsOfFile: fixture.spool.path(.new, "bash_5.1-2+b3_amd64.buildinfo"), encoding: .utf8)
        #expect(bash == Self.buildinfo("bash", "5.1-2+b3", "amd64"))
        let labels = try fixture.spool.labels(of: TaskID("bash_5.1-2+b3_amd64.buildinfo")!).values
        #expect(labels == ["distribution": "debian", "project": "debian", "dist": "unstable+test.amd64"])
        #expect(try fixture.spool.expected()["unstable+test.amd64"]?.map(\.rawValue) == names)

        let second = try fixture.runCapturing(["get", "--dist", "unstable+test.amd64"])
        #expect(second.output == "unstable+test.amd64: found 5, new 0, skipped 5, failed 0\n")
        #expect(fixture.entries(.new).count == 5)

        // A newer bash appears upstream (the real binNMU buildinfo): only it is queued.
        let listing = try String(contentsOfFile: "\(www)/buildinfo-pool_unstable_amd64.list", encoding: .utf8)
        try (listing + "/buildinfo-pool/b/bash/bash_5.1-3+b1_amd64.buildinfo\n")
            .write(toFile: "\(www)/buildinfo-pool_unstable_amd64.list", atomically: true, encoding: .utf8)
        try Self.copy(Self.binNMU, to: "\(www)/buildinfo-pool/b/bash/bash_5.1-3+b1_amd64.buildinfo")
        let third = try fixture.runCapturing(["get"])
        #expect(third.output == "unstable+test.amd64: found 5, new 1, skipped 4, failed 0\n")
        #expect(fixture.entries(.new).contains("bash_5.1-3+b1_amd64.buildinfo"))
        #expect(try Self.halfWritten(fixture.spool).isEmpty)
    }

    /// A spec of several sets keeps each set's builds apart too, and the results show each
    /// set with its builds, as the original's pages did.
    @Test func eachPackageSetOfASpecIsExpectedApart() throws {
        let upstream = try DebianUpstream()
        try Self.write("bash\nshadow\n", to: "\(upstream.www)/pkg-sets/unstable/small.pkgset")
        let fixture = try Self.fixture(dist: "unstable+test+small.amd64", settings: upstream.settings())
        #expect(try fixture.runCapturing(["get"]).output == "unstable+test+small.amd64: found 5, new 5, skipped 0, failed 0\n")
        let expected = try fixture.spool.expected().mapValues { $0.map(\.rawValue) }
        #expect(expected["unstable+test+small.amd64"]?.count == 5)
        #expect(expected["unstable+test.amd64"]?.count == 5)
        #expect(expected["unstable+small.amd64"] == ["bash_5.1-2+b3_amd64.buildinfo", "shadow_4.8.1-1_amd64.buildinfo"])

        let published = "\(fixture.base)/published"
        try (String(contentsOfFile: fixture.configPath, encoding: .utf8) + "\n[publish]\nroot = \(published)\n")
            .write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
        try fixture.run(["results"])
        let export = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(published)/debian/results/unstable+small.amd64.json"))) as? [String: Any]
        #expect(export?["total"] as? Int == 2)
    }

    /// The daemon form runs due specs, and specs asked for by a file in get/requests/ (the
    /// webhook path), removing the request once done.
    @Test func stageGetRunsDueSpecsAndRequestedOnes() throws {
        let upstream = try DebianUpstream()
        let fixture = try Self.fixture(dist: "unstable+test.amd64", settings: upstream.settings())
        let first = try fixture.runCapturing(["stage", "get", "--once"])
        #expect(first.output == "unstable+test.amd64: found 5, new 5, skipped 0, failed 0\n", "\(first.errors)")
        // Listed just now: not due again for schedule_get seconds.
        #expect(try fixture.runCapturing(["stage", "get", "--once"]).output == "")
        #expect(try fixture.runCapturing(["get", "--scheduled"]).output == "")
        let request = "\(fixture.spoolRoot)/get/requests/webhook-1"
        try Self.write("unstable+test.amd64\n", to: request)
        #expect(try fixture.runCapturing(["stage", "get", "--once"]).output == "unstable+test.amd64: found 5, new 0, skipped 5, failed 0\n")
        #expect(!FileManager.default.fileExists(atPath: request))
    }

    @Test func failedBuildsAreSkippedUnlessForceRetry() throws {
        let upstream = try DebianUpstream()
        let fixture = try Self.fixture(dist: "unstable+test.amd64", settings: upstream.settings())
        try fixture.run(["get"])
        let spool = fixture.spool
        #expect(rename(spool.path(.new, "apt_2.3.9_amd64.buildinfo"), spool.path(.failed, "apt_2.3.9_amd64.buildinfo")) == 0)

        #expect(try fixture.runCapturing(["get"]).output == "unstable+test.amd64: found 5, new 0, skipped 5, failed 0\n")
        #expect(fixture.entries(.failed) == ["apt_2.3.9_amd64.buildinfo"])
        let forced = try fixture.runCapturing(["get", "--force-retry"])
        #expect(forced.output == "unstable+test.amd64: found 5, new 0, skipped 4, failed 0, requeued 1\n")
        #expect(fixture.entries(.failed).isEmpty)
        #expect(fixture.entries(.new).count == 5)
    }

    @Test func archiveIndexesGiveBuildinfoNamesWithBinNMUsAndUnpublishedOnesWait() throws {
        let www = "/var/tmp/get-www-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: www) }
        let sources = """
            Package: bash
            Binary: bash, bash-static
            Version: 5.2.15-2
            Architecture: any
            Directory: pool/main/b/bash

            Package: hello
            Binary: hello
            Version: 2.10-3
            Architecture: any
            Directory: pool/main/h/hello

            Package: libfoo
            Binary: libfoo1
            Version: 1:1.0-1
            Architecture: any
            Directory: pool/main/libf/libfoo

            """
        let packages = """
            Package: bash
            Version: 5.2.15-2+b2
            Architecture: amd64
            Source: bash (5.2.15-2)
            Filename: pool/main/b/bash/bash_5.2.15-2+b2_amd64.deb

            Package: bash-static
            Version: 5.2.15-2+b2
            Architecture: amd64
            Source: bash (5.2.15-2)
            Filename: pool/main/b/bash/bash-static_5.2.15-2+b2_amd64.deb

            Package: hello
            Version: 2.10-3
            Architecture: amd64
            Filename: pool/main/h/hello/hello_2.10-3_amd64.deb

            Package: libfoo1
            Version: 1:1.0-1
            Architecture: amd64
            Source: libfoo
            Filename: pool/main/libf/libfoo/libfoo1_1.0-1_amd64.deb

            """
        let dists = "\(www)/mirror/dists/bookworm/main"
        try Self.write(sources, to: "\(dists)/source/Sources")
        try Self.write(packages, to: "\(dists)/binary-amd64/Packages")
        for file in ["\(dists)/source/Sources", "\(dists)/binary-amd64/Packages"] {
            let xz = Process()
            xz.executableURL = URL(fileURLWithPath: "/usr/bin/xz")
            xz.arguments = ["-f", file]
            try xz.run()
            xz.waitUntilExit()
        }
        try Self.write(Self.buildinfo("bash", "5.2.15-2+b2", "amd64"), to: www + Self.poolPath("bash", "5.2.15-2+b2", "amd64"))
        try Self.write(Self.buildinfo("libfoo", "1:1.0-1", "amd64"), to: www + Self.poolPath("libfoo", "1.0-1", "amd64"))
        // hello's buildinfo is not on the server yet.
        let server = try UpstreamServer(serving: www)
        let fixture = try Self.fixture(dist: "bookworm.amd64",
                                       settings: "buildinfos-baseurl = \(server.baseURL)\narchive-mirror = \(server.baseURL)/mirror")

        let first = try fixture.runCapturing(["get"])
        #expect(first.status == 0, "\(first.errors)")
        #expect(first.output == "bookworm.amd64: found 3, new 2, skipped 0, failed 0, not yet published 1\n")
        #expect(first.errors.contains("hello_2.10-3_amd64.buildinfo"))
        #expect(fixture.entries(.new).sorted() == ["bash_5.2.15-2+b2_amd64.buildinfo", "libfoo_1.0-1_amd64.buildinfo"])
        let due = try #require(try FileManager.default.attributesOfItem(
            atPath: "\(fixture.spoolRoot)/get/unpublished/hello_2.10-3_amd64.buildinfo")[.modificationDate] as? Date)
        #expect(due > Date().addingTimeInterval(3000))

        // Published now, but not asked for again before its delay has passed.
        try Self.write(Self.buildinfo("hello", "2.10-3", "amd64"), to: www + Self.poolPath("hello", "2.10-3", "amd64"))
        let second = try fixture.runCapturing(["get"])
        #expect(second.output == "bookworm.amd64: found 3, new 0, skipped 2, failed 0, not yet published 1\n")
        #expect(server.requests.filter { $0.contains("hello_2.10-3") }.count == 1)
        #expect(try Self.halfWritten(fixture.spool).isEmpty)

        // The results count the build without a task as waiting, under its spec.
        let published = "\(fixture.base)/published"
        try FileManager.default.createDirectory(atPath: published, withIntermediateDirectories: true)
        try (String(contentsOfFile: fixture.configPath, encoding: .utf8) + "\n[publish]\nroot = \(published)\n")
            .write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
        try fixture.run(["results"])
        let export = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(published)/debian/results/bookworm.amd64.json"))) as? [String: Any]
        let rows = try #require(export?["tasks"] as? [[String: Any]])
        #expect(rows.map { "\($0["task"] ?? "") \($0["status"] ?? "")" }.sorted() == [
            "bash_5.2.15-2+b2_amd64.buildinfo waiting", "hello_2.10-3_amd64.buildinfo waiting", "libfoo_1.0-1_amd64.buildinfo waiting",
        ])
        #expect(rows.first { ($0["task"] as? String) == "hello_2.10-3_amd64.buildinfo" }?["attempts"] as? Int == 0)
    }

    @Test func qubesRepositoryListedOverRsync() throws {
        let scratch = "/var/tmp/get-qubes-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let pool = "pool/main/q"
        let files = [
            // Architecture: amd64 in the file: the amd64 build.
            ("\(pool)/qubes-core-agent/qubes-core-agent_4.1.7-1+deb11u1_amd64.buildinfo", Self.buildinfo("qubes-core-agent", "4.1.7-1+deb11u1", "source amd64")),
            // An older version of it.
            ("\(pool)/qubes-core-agent/qubes-core-agent_4.1.6-1+deb11u1_amd64.buildinfo", Self.buildinfo("qubes-core-agent", "4.1.6-1+deb11u1", "source amd64")),
            // Named _amd64, but Architecture: all inside: the all build.
            ("\(pool)/qubes-artwork/qubes-artwork_4.1.10-1+deb11u1_amd64.buildinfo", Self.buildinfo("qubes-artwork", "4.1.10-1+deb11u1", "all")),
            // For bookworm, not bullseye.
            ("\(pool)/qubes-gpg-split/qubes-gpg-split_2.0.60-1+deb12u1_amd64.buildinfo", Self.buildinfo("qubes-gpg-split", "2.0.60-1+deb12u1", "amd64")),
        ]
        for (path, text) in files {
            try Self.write(text, to: "\(scratch)/rsync/module/repo/deb/r4.1/vm/\(path)")
            try Self.write(text, to: "\(scratch)/www/r4.1/vm/\(path)")
        }
        try Self.write("old", to: "\(scratch)/rsync/module/repo/deb/r4.1/vm/all-versions/\(pool)/x/x_9-1+deb11u1_amd64.buildinfo")
        let rsync = try RsyncDaemon(directory: "\(scratch)/rsync")
        let server = try UpstreamServer(serving: "\(scratch)/www")
        let fixture = try PipelineFixture(sections: """
            [qubesos]
            dist = qubes-4.1-vm-bullseye.amd64 qubes-4.1-vm-bullseye.all
            buildinfos-rsync-baseurl = \(rsync.url("repo"))
            buildinfos-baseurl = \(server.baseURL)
            """)

        let run = try fixture.runCapturing(["get"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output == """
            qubes-4.1-vm-bullseye.amd64: found 2, new 1, skipped 1, failed 0
            qubes-4.1-vm-bullseye.all: found 2, new 1, skipped 1, failed 0

            """)
        #expect(fixture.entries(.new).sorted() == [
            "qubes-artwork_4.1.10-1+deb11u1_amd64.buildinfo", "qubes-core-agent_4.1.7-1+deb11u1_amd64.buildinfo",
        ])
        let labels = try fixture.spool.labels(of: TaskID("qubes-artwork_4.1.10-1+deb11u1_amd64.buildinfo")!).values
        #expect(labels == ["distribution": "qubesos", "project": "qubesos/deb/r4.1/vm", "dist": "qubes-4.1-vm-bullseye.all"])
        // Each spec expects only its own architecture's build, also once both are in the spool.
        let again = try fixture.runCapturing(["get"])
        #expect(again.output.contains("qubes-4.1-vm-bullseye.all: found 2, new 0, skipped 2, failed 0"))
        let expected = try fixture.spool.expected().mapValues { $0.map(\.rawValue) }
        #expect(expected["qubes-4.1-vm-bullseye.amd64"] == ["qubes-core-agent_4.1.7-1+deb11u1_amd64.buildinfo"])
        #expect(expected["qubes-4.1-vm-bullseye.all"] == ["qubes-artwork_4.1.10-1+deb11u1_amd64.buildinfo"])
    }

    /// Broken upstreams: each spec fails with an error naming the URL and the reason, the
    /// run exits 1, and the spool holds nothing half-written.
    @Test(arguments: [
        ("listing-500", "not listed, nothing delivered", "/_status/500/buildinfo-pool_unstable_amd64.list: HTTP status 500"),
        ("listing-html", "not listed, nothing delivered", "an HTML page"),
        ("listing-slow", "not listed, nothing delivered", "timed out"),
        ("listing-truncated", "not listed, nothing delivered", "response cut short"),
        ("listing-too-big", "not listed, nothing delivered", "larger than the limit"),
        ("dotdot-line", "found 5, new 5, skipped 0, failed 1", "'..'"),
        ("buildinfo-html", "found 5, new 4, skipped 0, failed 1", "not a buildinfo file"),
        ("buildinfo-too-big", "found 5, new 4, skipped 0, failed 1", "larger than the limit"),
        ("buildinfo-other-package", "found 5, new 4, skipped 0, failed 1", "its Source is 'hello', not 'apt'"),
    ])
    func brokenUpstreamsAreReportedAndLeaveNothingHalfWritten(broken: String, figures: String, message: String) throws {
        let upstream = try DebianUpstream()
        let (www, server) = (upstream.www, upstream.server)
        let listing = "\(www)/buildinfo-pool_unstable_amd64.list"
        let apt = www + Self.poolPath("apt", "2.3.9", "amd64")
        var base = ""
        var get = "connect-timeout = 2\n"
        var spool = ""
        switch broken {
        case "listing-500": base = "/_status/500"
        case "listing-html": try Self.write("<!DOCTYPE html>\n<html><body>Not here</body></html>\n", to: listing)
        case "listing-slow": (base, get) = ("/_slow/5", get + "download-timeout = 1\n")
        case "listing-truncated": base = "/_truncated"
        case "listing-too-big": get += "max-listing-size = 64K\n"
        case "dotdot-line":
            try (String(contentsOfFile: listing, encoding: .utf8) + "/buildinfo-pool/b/bash/../../../etc/passwd_1_amd64.buildinfo\n")
                .write(toFile: listing, atomically: true, encoding: .utf8)
        case "buildinfo-html": try Self.write("<html><body>Maintenance</body></html>\n", to: apt)
        case "buildinfo-too-big":
            try Self.write(Self.buildinfo("apt", "2.3.9", "amd64") + String(repeating: "#", count: 40_000), to: apt)
            spool = "max-task-size = 32K\n"
        default: try Self.write(Self.buildinfo("hello", "2.3.9", "amd64"), to: apt)
        }
        let fixture = try Self.fixture(dist: "unstable+test.amd64", settings: upstream.settings(base: base), get: get, spool: spool)

        let run = try fixture.runCapturing(["get"])
        #expect(run.status == 1)
        #expect(run.output.hasPrefix("unstable+test.amd64: "))
        #expect(run.output.contains(figures), "\(run.output)")
        #expect(run.errors.contains(message), "\(run.errors)")
        #expect(run.errors.contains(server.baseURL), "the error names the URL: \(run.errors)")
        #expect(!fixture.entries(.new).contains("apt_2.3.9_amd64.buildinfo") || broken == "dotdot-line")
        #expect(try Self.halfWritten(fixture.spool).isEmpty)
        #expect(fixture.entries(.failed).isEmpty)
    }

    @Test func aSuiteThatCannotBeFollowedNamesTheConfigLine() throws {
        let fixture = try PipelineFixture(sections: "[debian]\ndist = bookworm.amd64\n    toto+x.amd64\n")
        let run = try fixture.runCapturing(["get"])
        #expect(run.status == 78)
        #expect(run.errors.contains("\(fixture.configPath):"), "\(run.errors)")
        #expect(run.errors.contains("'toto+x.amd64' in [debian]"), "\(run.errors)")
    }
}
