import Foundation
import Glibc
import Rebuild

/// How long the snapshot backend takes to have a build environment ready, for one buildinfo (the
/// example hello-repro, 122 packages), from an empty cache, a warm file cache and a cached
/// environment, beside its floors: bare mmdebstrap of the same package set from the same kind of
/// local repository, and bare dpkg-buildpackage of the package on this host. The snapshot service
/// is the static stand-in scripts/setup made, served on 127.0.0.1.
struct EnvironmentSetupResult: Codable, Sendable {
    var packages: Int
    var emptyCacheReadySeconds: Double
    var emptyCacheTotalSeconds: Double
    var warmFilesReadySeconds: Double
    var warmFilesTotalSeconds: Double
    var cachedEnvironmentReadySeconds: Double
    var cachedEnvironmentTotalSeconds: Double
    var bareMmdebstrapSeconds: Double
    var bareBuildSeconds: Double
    var warmFilesOverMmdebstrap: Double { warmFilesReadySeconds / bareMmdebstrapSeconds }
    /// The whole rebuild from a cached environment, beyond the bare build.
    var cachedOverheadSeconds: Double { cachedEnvironmentTotalSeconds - bareBuildSeconds }
    var warmFilesOverheadSeconds: Double { warmFilesTotalSeconds - bareBuildSeconds }
}

enum EnvironmentSetup {
    static let buildPath = "/build/reproducible-path/hello-repro-1.0"

    static func measure(directory: String, repository: String, rebuilder: String) throws -> EnvironmentSetupResult {
        let snapshotPackages = repository + "/.build-snapshot/tree"
        guard access(snapshotPackages, F_OK) == 0 else {
            throw UsageError(description: "\(snapshotPackages) is missing: run scripts/setup (or pass --repository)")
        }
        let distribution = directory + "/distribution"
        try run(repository + "/examples/build-distribution", [distribution])
        let tree = directory + "/snapshot"
        try run("/bin/cp", ["-al", snapshotPackages, tree])
        let pool = try FileManager.default.contentsOfDirectory(atPath: distribution + "/pool").filter { $0.hasSuffix(".dsc") }
        try run(repository + "/scripts/snapshot-tree", [tree] + pool.map { "\(distribution)/pool/\($0)" })
        let server = try LocalWebServer(serving: tree, log: directory + "/snapshot.log")
        defer { server.stop() }
        let port = server.port

        let buildinfo = distribution + "/buildinfo/hello-repro_1.0_amd64.buildinfo"
        let cache = directory + "/cache"
        func rebuild(_ name: String) throws -> (ready: Double, total: Double) {
            let output = "\(directory)/\(name)"
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            let log = "\(directory)/\(name).log"
            let start = Clock.monotonic()
            try run(rebuilder, ["backend", "snapshot", "--snapshot", "http://127.0.0.1:\(port)", "--cache", cache,
                                "--build-dir", buildPath, buildinfo, output], log: log)
            let total = Clock.monotonic() - start
            let text = try String(contentsOfFile: log, encoding: .utf8)
            guard let line = text.split(separator: "\n").first(where: { $0.contains("environment ready in ") }),
                  let seconds = Double(line.split(separator: " ").drop { $0 != "in" }.dropFirst().first ?? "") else {
                throw UsageError(description: "no 'environment ready' line in \(log)")
            }
            return (seconds, total)
        }
        Progress.note("  from an empty cache")
        let empty = try rebuild("empty-cache")
        Progress.note("  from a warm file cache (environments removed, the base environment kept)")
        for name in try FileManager.default.contentsOfDirectory(atPath: cache + "/environments") {
            try FileManager.default.removeItem(atPath: "\(cache)/environments/\(name)")
        }
        let warm = try rebuild("warm-files")
        Progress.note("  from the cached environment")
        let cached = try rebuild("cached-environment")

        Progress.note("  bare mmdebstrap of the same packages, bare dpkg-buildpackage")
        let (packages, mmdebstrap) = try bareMmdebstrap(tree: tree, buildinfo: buildinfo, directory: directory + "/bare-mmdebstrap")
        let build = try bareBuild(distribution: distribution, directory: directory + "/bare-build")
        return EnvironmentSetupResult(
            packages: packages, emptyCacheReadySeconds: empty.ready, emptyCacheTotalSeconds: empty.total,
            warmFilesReadySeconds: warm.ready, warmFilesTotalSeconds: warm.total,
            cachedEnvironmentReadySeconds: cached.ready, cachedEnvironmentTotalSeconds: cached.total,
            bareMmdebstrapSeconds: mmdebstrap, bareBuildSeconds: build)
    }

    /// mmdebstrap as the backend runs it, from a flat repository of the buildinfo's packages
    /// linked from the snapshot tree: the floor of making an environment.
    private static func bareMmdebstrap(tree: String, buildinfo: String, directory: String) throws -> (Int, Double) {
        let repository = directory + "/repository"
        try FileManager.default.createDirectory(atPath: repository, withIntermediateDirectories: true)
        let text = try String(contentsOfFile: buildinfo, encoding: .utf8)
        var inField = false
        var names: [String] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("Installed-Build-Depends:") { inField = true; continue }
            guard inField, line.hasPrefix(" ") else { inField = false; continue }
            let words = line.split(whereSeparator: { " (=),".contains($0) })
            guard words.count >= 2 else { continue }
            let name = String(words[0]), version = String(words[1])
            let answerPath = "\(tree)/mr/binary/\(name)/\(version)/binfiles"
            let answer = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: answerPath))) as? [String: Any]
            guard let result = answer?["result"] as? [[String: Any]], let hash = result.first?["hash"] as? String,
                  let info = (answer?["fileinfo"] as? [String: [[String: Any]]])?[hash]?.first, let file = info["name"] as? String else {
                throw UsageError(description: "cannot read \(answerPath)")
            }
            guard link("\(tree)/file/\(hash)", "\(repository)/\(file)") == 0 else { throw UsageError(description: "cannot link \(file)") }
            names.append(name)
        }
        let index = EnvironmentMaker.indexArguments(repository: repository, suite: "bookworm")
        try run("/bin/sh", Array(index.dropFirst()))
        let start = Clock.monotonic()
        let mmdebstrap = EnvironmentMaker.mmdebstrapArguments(packages: names, architecture: "amd64", suite: "bookworm",
                                                              repository: repository, tarball: directory + "/environment.tar")
        try run("/usr/bin/mmdebstrap", Array(mmdebstrap.dropFirst()))
        return (names.count, Clock.monotonic() - start)
    }

    /// dpkg-source -x and dpkg-buildpackage -b of the package on this host, nothing else.
    private static func bareBuild(distribution: String, directory: String) throws -> Double {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let start = Clock.monotonic()
        try run("/bin/sh", ["-c", "cd \"$1\" && dpkg-source --no-check -x \"$2\" tree && cd tree && dpkg-buildpackage -b -us -uc",
                            "build", directory, distribution + "/pool/hello-repro_1.0.dsc"], log: directory + ".log")
        return Clock.monotonic() - start
    }

    /// Runs a program to its end, its output into `log` (a new file) or nowhere.
    private static func run(_ executable: String, _ arguments: [String], log: String? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var handle = FileHandle.nullDevice
        if let log {
            guard FileManager.default.createFile(atPath: log, contents: nil), let file = FileHandle(forWritingAtPath: log) else {
                throw UsageError(description: "cannot create \(log)")
            }
            handle = file
        }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw UsageError(description: "\(executable) \(arguments.prefix(3).joined(separator: " ")) exited \(process.terminationStatus)\(log.map { " (log: \($0))" } ?? "")")
        }
    }
}
