import Buildinfo
import CLinuxCalls
import Foundation

/// The `local` backend, run as its own process (`rebuilder backend local`) under the build stage:
/// unpacks the source package the buildinfo names from a pool with `dpkg-source -x` into the
/// buildinfo's Build-Path, builds it with `dpkg-buildpackage` under the buildinfo's Environment,
/// and copies what it built into the output directory. It does not judge the result.
///
/// Exit status: 0 it ran and built; 1 the build failed (a Build-Path through a symbolic link
/// too); 75 it could not run now (source not in the pool yet, Build-Path busy with another build).
public struct LocalBackend: Sendable {
    public var pool: String
    public var location: BuildLocation
    public var log: @Sendable (String) -> Void

    public init(pool: String, location: BuildLocation, log: @escaping @Sendable (String) -> Void) {
        self.pool = pool
        self.location = location
        self.log = log
    }

    private var buildDirectory: String { location.path }

    public static let exitBuilt: Int32 = 0
    public static let exitBuildFailed: Int32 = 1
    public static let exitTryLater: Int32 = 75

    public func rebuild(_ buildinfo: Buildinfo, into outputDirectory: String) -> Int32 {
        guard let dsc = findSourcePackage(buildinfo) else {
            log("source package \(buildinfo.source) \(buildinfo.sourceVersion) is not in the pool \(pool)")
            return LocalBackend.exitTryLater
        }
        let parent = (buildDirectory as NSString).deletingLastPathComponent
        let name = (buildDirectory as NSString).lastPathComponent
        let fileManager = FileManager.default
        // Below the operator's root, each component is made and opened without following a link:
        // a link planted on the way would otherwise have the tree below its target deleted.
        let rootFD = open(location.root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard rootFD >= 0 else {
            log("cannot open the build root \(location.root): \(String(cString: strerror(errno)))")
            return LocalBackend.exitTryLater
        }
        let relativeParent = (location.relative as NSString).deletingLastPathComponent
        let parentFD = linux_make_directories_beneath(rootFD, relativeParent.isEmpty ? "." : relativeParent, 0o755)
        let failure = errno
        close(rootFD)
        guard parentFD >= 0 else {
            if failure == ELOOP || failure == EXDEV {
                log("Build-Path \(buildDirectory) goes through a symbolic link below \(location.root): refused, nothing there was touched")
                return LocalBackend.exitBuildFailed
            }
            log("cannot create \(parent): \(String(cString: strerror(failure)))")
            return LocalBackend.exitTryLater
        }
        defer { close(parentFD) }
        // One build per Build-Path at a time on this host (two architectures of one source share it).
        let lockFD = openat(parentFD, name + ".lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard lockFD >= 0, flock(lockFD, LOCK_EX | LOCK_NB) == 0 else {
            log("\(buildDirectory) is busy with another build")
            return LocalBackend.exitTryLater
        }
        defer { close(lockFD) }
        let before = Set((try? fileManager.contentsOfDirectory(atPath: parent)) ?? [])
        _ = linux_remove_tree_at(parentFD, name)
        defer { _ = linux_remove_tree_at(parentFD, name) }

        log("unpacking \(dsc) into \(buildDirectory)")
        guard run(["dpkg-source", "--no-check", "-x", dsc, buildDirectory], in: parent, environment: baseEnvironment) == 0 else {
            log("dpkg-source -x failed")
            return LocalBackend.exitBuildFailed
        }
        reportBuildDependencyDifferences(buildinfo)

        // The build stage refused any other variable already; this guards a run by hand.
        let recorded = buildinfo.environment.filter { BuildEnvironment.recordedByDpkg.contains($0.name) }
        let environment = baseEnvironment.merging(recorded.map { ($0.name, $0.value) }) { _, fromBuildinfo in fromBuildinfo }
        log("building with dpkg-buildpackage \(buildinfo.buildTypeOption) in \(buildDirectory); environment from the buildinfo: "
            + recorded.map { "\($0.name)=\($0.value)" }.joined(separator: " "))
        let status = run(["dpkg-buildpackage", buildinfo.buildTypeOption, "-us", "-uc"], in: buildDirectory, environment: environment)

        let produced = Set((try? fileManager.contentsOfDirectory(atPath: parent)) ?? []).subtracting(before)
        for name in produced.sorted() where !name.hasSuffix(".lock") && name != (buildDirectory as NSString).lastPathComponent {
            let source = "\(parent)/\(name)"
            do {
                try fileManager.moveItem(atPath: source, toPath: "\(outputDirectory)/\(name)")
            } catch {
                log("cannot move \(source) into the output: \(error)")
                try? fileManager.removeItem(atPath: source)
            }
        }
        if status != 0 {
            log("dpkg-buildpackage exited with status \(status)")
            return LocalBackend.exitBuildFailed
        }
        return LocalBackend.exitBuilt
    }

    /// The .dsc of the buildinfo's source version: flat in the pool, or in a Debian pool layout
    /// (`pool/<component>/<initial>/<source>/`).
    func findSourcePackage(_ buildinfo: Buildinfo) -> String? {
        let name = "\(buildinfo.source)_\(buildinfo.sourceVersion.withoutEpoch).dsc"
        let initial = buildinfo.source.hasPrefix("lib") ? String(buildinfo.source.prefix(4)) : String(buildinfo.source.prefix(1))
        var candidates = ["\(pool)/\(name)"]
        for component in ["main", "contrib", "non-free", "non-free-firmware"] {
            candidates.append("\(pool)/\(component)/\(initial)/\(buildinfo.source)/\(name)")
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Logs where this machine's installed packages differ from the buildinfo's
    /// Installed-Build-Depends: the likeliest cause of an unreproducible local rebuild.
    func reportBuildDependencyDifferences(_ buildinfo: Buildinfo) {
        let query = Process()
        query.executableURL = URL(fileURLWithPath: "/usr/bin/dpkg-query")
        query.arguments = ["-W", "-f", "${Package} ${Version}\n"]
        let output = Pipe()
        query.standardOutput = output
        query.standardError = FileHandle.nullDevice
        guard (try? query.run()) != nil else { return log("dpkg-query not available: build environment not compared") }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        query.waitUntilExit()
        var installed: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { installed[String(parts[0])] = String(parts[1]) }
        }
        var differences: [String] = []
        for wanted in buildinfo.installedBuildDepends {
            switch installed[wanted.name] {
            case nil: differences.append("\(wanted.name) \(wanted.version) is not installed")
            case let have? where have != wanted.version.description:
                differences.append("\(wanted.name): buildinfo has \(wanted.version), installed is \(have)")
            default: break
            }
        }
        log("build environment: \(buildinfo.installedBuildDepends.count) Installed-Build-Depends, \(differences.count) differ from this machine")
        for difference in differences.prefix(200) { log("  \(difference)") }
        if differences.count > 200 { log("  … and \(differences.count - 200) more") }
    }

    private var baseEnvironment: [String: String] {
        ["PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": buildDirectory + "/..", "LC_ALL": "C.UTF-8"]
    }

    /// Runs a program with this process's stdout and stderr (the build log); returns its status.
    private func run(_ arguments: [String], in directory: String, environment: [String: String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        do {
            try process.run()
        } catch {
            log("cannot run \(arguments[0]): \(error)")
            return 127
        }
        process.waitUntilExit()
        return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    }
}
