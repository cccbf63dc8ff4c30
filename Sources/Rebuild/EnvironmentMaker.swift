import Buildinfo
import Foundation
import PackageCache
import Processes

/// Makes the build environment of a resolved package set with mmdebstrap (unshare mode, no root
/// needed) from a flat repository holding exactly those files, or takes it from the cache; then
/// checks that it has exactly the buildinfo's packages installed.
///
/// Most of an environment is the same from one package set to the next: the essential packages
/// and build-essential. A base environment of those (`mmdebstrap --variant=essential --include=
/// build-essential` from the same repository) is cached with the exact files it was made of, and
/// any later set holding all those files gets its environment layered on it (`--variant=custom`,
/// the base unpacked by a setup hook, apt adding the rest): the same installed packages, in about
/// half the time. Without a fitting base, one is made first.
public struct EnvironmentMaker: Sendable {
    public var cache: ContentCache
    /// The suite name mmdebstrap is given (it picks defaults such as merged /usr by it).
    public var suite: String
    public var log: @Sendable (String) -> Void

    public init(cache: ContentCache, suite: String, log: @escaping @Sendable (String) -> Void) {
        self.cache = cache
        self.suite = suite
        self.log = log
    }

    /// The environment's tarball: cached, or made now in `work` and then cached.
    public func environment(for resolved: ResolvedEnvironment, buildinfo: Buildinfo, work: WorkDirectory) throws(RebuildError) -> String {
        let key = resolved.environmentKey
        if let cached = cache.environment(key: key) {
            log("environment \(key.prefix(16)) (\(resolved.packages.count) packages) is cached")
            return try link(cached, into: work.path, as: "environment.tar")
        }
        let repository = "\(work.path)/repository"
        do {
            try FileManager.default.createDirectory(atPath: repository, withIntermediateDirectories: false)
        } catch {
            throw RebuildError("cannot make \(repository): \(error)")
        }
        for package in resolved.packages { _ = try link(package.path, into: repository, as: package.name) }
        _ = try capture(Self.indexArguments(repository: repository, suite: suite), what: "indexing the local repository")
        let tarball = "\(work.path)/environment.tar"
        let names = Set(resolved.packages.map { String($0.name.split(separator: "_")[0]) }).sorted()
        let architecture = buildinfo.buildArchitecture ?? "amd64"
        let files = Set(resolved.packages.map { "\($0.name) \($0.sha256)" })
        let base: String?
        if let cached = cache.base(within: files) {
            base = try link(cached, into: work.path, as: "base.tar")
        } else {
            base = try makeBase(resolved, architecture: architecture, repository: repository, work: work)
        }
        log("making environment \(key.prefix(16)) with mmdebstrap from \(resolved.packages.count) packages"
            + (base == nil ? "" : ", on the base environment"))
        let started = ContinuousClock.now
        try runMmdebstrap(Self.mmdebstrapArguments(packages: names, architecture: architecture, suite: suite, repository: repository,
                                                   tarball: tarball, layeredOnBase: base != nil),
                          base: base, repository: repository, work: work, what: "the environment")
        log("mmdebstrap made the environment in \(Self.seconds(since: started))")
        try check(tarball, against: buildinfo)
        do {
            try cache.storeEnvironment(tarball, key: key)
        } catch {
            throw RebuildError("cannot cache the environment: \(error)")
        }
        return try link(cache.environmentPath(key: key), into: work.path, as: "environment.tar")
    }

    /// The command that indexes a flat repository of .deb files: relative Filename fields
    /// ("./name.deb"), as a flat repository's index has them, and a Release naming the suite,
    /// from which mmdebstrap takes the suite's essential packages.
    public static func indexArguments(repository: String, suite: String) -> [String] {
        ["sh", "-c", "cd \"$1\" && apt-ftparchive packages . > Packages && "
            + "apt-ftparchive -o APT::FTPArchive::Release::Suite=\"$2\" -o APT::FTPArchive::Release::Codename=\"$2\" release . > Release",
         "index", repository, suite]
    }

    /// mmdebstrap making an environment of exactly `packages` (names) from the indexed flat
    /// `repository`, in unshare mode, as a tarball. `layeredOnBase`: on the base environment
    /// whose tarball `$REBUILDER_BASE` names (and `$REBUILDER_REPOSITORY` the repository), unpacked before anything is installed (its /dev and
    /// sources.list left out: mmdebstrap makes its own; so is the repository's path, where
    /// mmdebstrap has mounted it read-only by then).
    public static func mmdebstrapArguments(packages: [String], architecture: String, suite: String, repository: String,
                                           tarball: String, layeredOnBase: Bool = false) -> [String] {
        ["mmdebstrap", "--mode=unshare", layeredOnBase ? "--variant=custom" : "--variant=essential", "--architectures=\(architecture)",
         "--include=\(packages.joined(separator: ","))",
         "--hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount"]
            + (layeredOnBase ? ["--setup-hook=tar -C \"$1\" --exclude=./dev --exclude=./etc/apt/sources.list --exclude=\".$REBUILDER_REPOSITORY\" -xf \"$REBUILDER_BASE\""] : [])
            + ["--aptopt=Acquire::Languages \"none\"", "--quiet", suite, tarball, "deb [trusted=yes] file://\(repository) ./"]
    }

    /// Makes and caches the base environment of `resolved` (essential and build-essential from
    /// its repository); nil, after saying why, when it cannot: the environment is then made whole.
    private func makeBase(_ resolved: ResolvedEnvironment, architecture: String, repository: String,
                          work: WorkDirectory) throws(RebuildError) -> String? {
        let tarball = "\(work.path)/base-new.tar"
        log("making a base environment (essential and build-essential) with mmdebstrap")
        let started = ContinuousClock.now
        do {
            try runMmdebstrap(Self.mmdebstrapArguments(packages: ["build-essential"], architecture: architecture, suite: suite,
                                                       repository: repository, tarball: tarball),
                              base: nil, repository: repository, work: work, what: "the base environment")
        } catch {
            log("no base environment: \(error)")
            return nil
        }
        let installed: InstalledPackages
        do {
            installed = try InstalledPackages.parse(status: try capture(["tar", "-xOf", tarball, "./var/lib/dpkg/status"], what: "reading the base's dpkg status"),
                                                    path: "\(tarball):/var/lib/dpkg/status")
        } catch {
            log("no base environment: \(error)")
            return nil
        }
        // Each installed package is the one file of its name and architecture in the repository.
        var files: [String] = []
        for key in installed.versions.keys {
            let parts = key.split(separator: ":")
            guard let package = resolved.packages.first(where: { $0.name.hasPrefix("\(parts[0])_") && $0.name.hasSuffix("_\(parts[1]).deb") }) else {
                log("no base environment: its \(key) is not one of the resolved files")
                return nil
            }
            files.append("\(package.name) \(package.sha256)")
        }
        log("mmdebstrap made the base environment (\(files.count) packages) in \(Self.seconds(since: started))")
        do {
            return try link(cache.storeBase(tarball, files: files), into: work.path, as: "base.tar")
        } catch let error as RebuildError {
            throw error
        } catch {
            throw RebuildError("cannot cache the base environment: \(error)")
        }
    }

    private func runMmdebstrap(_ arguments: [String], base: String?, repository: String, work: WorkDirectory, what: String) throws(RebuildError) {
        let process: Subprocess
        do {
            process = try Subprocess.start(arguments, environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C.UTF-8", "TMPDIR=\(work.path)",
                                                                    "REBUILDER_REPOSITORY=\(repository)"]
                                               + (base.map { ["REBUILDER_BASE=\($0)"] } ?? []),
                                           searchPath: true, stdout: 2, stderr: 2, ownGroup: false)
        } catch {
            throw RebuildError("cannot run mmdebstrap: \(error)")
        }
        guard process.wait(seconds: nil) == .exited(0) else { throw RebuildError("mmdebstrap failed to make \(what) (see above)") }
    }

    /// Fails unless the environment has exactly the buildinfo's Installed-Build-Depends.
    func check(_ tarball: String, against buildinfo: Buildinfo) throws(RebuildError) {
        let status = try capture(["tar", "-xOf", tarball, "./var/lib/dpkg/status"], what: "reading the environment's dpkg status")
        let installed: InstalledPackages
        do {
            installed = try InstalledPackages.parse(status: status, path: "\(tarball):/var/lib/dpkg/status")
        } catch {
            throw RebuildError("\(error)")
        }
        let differences = installed.differences(from: buildinfo.installedBuildDepends)
        guard differences.isEmpty else {
            for line in differences.prefix(50) { log("environment differs: \(line)") }
            throw RebuildError("the environment differs from the buildinfo in \(differences.count) packages: "
                + differences.prefix(10).joined(separator: "; "))
        }
        log("environment checked: its \(installed.versions.count) installed packages are the buildinfo's")
    }

    /// A hard link of `path` in `directory` (a build uses its own link, which eviction cannot pull).
    private func link(_ path: String, into directory: String, as name: String) throws(RebuildError) -> String {
        let target = "\(directory)/\(name)"
        guard Glibc.link(path, target) == 0 else { throw RebuildError("cannot link \(path) to \(target): \(String(cString: strerror(errno)))") }
        return target
    }

    private func capture(_ arguments: [String], what: String) throws(RebuildError) -> [UInt8] {
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(arguments[0], Array(arguments.dropFirst()),
                                          environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C.UTF-8"], timeout: 600,
                                          maximumOutput: 256 << 20)
        } catch {
            throw RebuildError("\(what): \(error)")
        }
        guard result.termination == .exited(0) else {
            throw RebuildError("\(what): \(arguments[0]) \(result.termination): \(String(decoding: result.stderr.suffix(2000), as: UTF8.self))")
        }
        return result.stdout
    }

    static func seconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        return String(format: "%.1f s", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
