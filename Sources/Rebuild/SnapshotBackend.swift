import Buildinfo
import Foundation
import PackageCache
import Sandbox
import Snapshot

/// The `snapshot` backend, run as its own process (`rebuilder backend snapshot`) under the build
/// stage: rebuilds in exactly the environment the buildinfo records, cut off from the host.
///
/// 1. Resolves every Installed-Build-Depends entry and the source package through the snapshot
///    service into the host's content-addressed cache, each file checked against its hash.
/// 2. Makes the environment with mmdebstrap from exactly those files (or takes it from the
///    cache), and checks its installed packages against the buildinfo.
/// 3. Builds in a `BuildSandbox` at the buildinfo's Build-Path, with only the Environment
///    variables dpkg-genbuildinfo records.
///
/// Exit status: 0 built; 1 the build failed; 75 the environment could not be made now (a package
/// the snapshot lacks, a file whose bytes do not match, mmdebstrap or the sandbox failing): never
/// a verdict about the package.
public struct SnapshotBackend: Sendable {
    public var service: SnapshotService
    /// Where packages the snapshot lacks are looked for, in order.
    public var repositories: [AptRepository]
    public var cache: ContentCache
    public var sandbox: BuildSandbox
    public var suite: String
    /// The buildinfo's Build-Path (checked by the build stage), where the source is unpacked inside.
    public var buildPath: String
    public var log: @Sendable (String) -> Void

    public init(service: SnapshotService, repositories: [AptRepository] = [], cache: ContentCache, sandbox: BuildSandbox, suite: String, buildPath: String,
                log: @escaping @Sendable (String) -> Void) {
        self.service = service
        self.repositories = repositories
        self.cache = cache
        self.sandbox = sandbox
        self.suite = suite
        self.buildPath = buildPath
        self.log = log
    }

    public func rebuild(_ buildinfo: Buildinfo, into outputDirectory: String) -> Int32 {
        if let refusal = BuildEnvironment.refusal(of: buildinfo.environment, onHost: false, signatureVerified: false) {
            log(refusal)
            return LocalBackend.exitBuildFailed
        }
        cache.sweep()
        defer { cache.evict() }
        let started = ContinuousClock.now
        let resolved: ResolvedEnvironment
        do {
            resolved = try ResolvedEnvironment.resolve(buildinfo, service: service, repositories: repositories, cache: cache, log: log)
        } catch {
            log(error.description)
            return LocalBackend.exitTryLater
        }
        log("resolved \(resolved.packages.count) packages and \(resolved.sources.count) source files through \(service.base) "
            + "in \(EnvironmentMaker.seconds(since: started)), \(resolved.downloadedBytes) bytes downloaded")
        let work: WorkDirectory
        do {
            work = try cache.workDirectory()
        } catch {
            log("cannot make a work directory in the cache: \(error)")
            return LocalBackend.exitTryLater
        }
        defer { work.release() }
        let environment: String
        do {
            environment = try EnvironmentMaker(cache: cache, suite: suite, log: log).environment(for: resolved, buildinfo: buildinfo, work: work)
        } catch {
            log("cannot make the build environment: \(error)")
            return LocalBackend.exitTryLater
        }
        let sources = "\(work.path)/sources"
        let mountPoint = "\(work.path)/root"
        do {
            for directory in [sources, mountPoint] { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false) }
            for file in resolved.sources where link(file.path, "\(sources)/\(file.name)") != 0 {
                throw RebuildError("cannot link \(file.path) into \(sources): \(String(cString: strerror(errno)))")
            }
        } catch {
            log("cannot prepare the sources: \(error)")
            return LocalBackend.exitTryLater
        }
        let variables = buildinfo.environment.map { "\($0.name)=\($0.value)" }
        log("environment ready in \(EnvironmentMaker.seconds(since: started)); building \(buildinfo.source) \(buildinfo.version) "
            + "with dpkg-buildpackage \(buildinfo.buildTypeOption); environment from the buildinfo: \(variables.joined(separator: " "))")
        let status = sandbox.run(BuildSandbox.Build(
            environment: environment, mountPoint: mountPoint, sources: sources, dsc: resolved.dsc, output: outputDirectory,
            buildPath: buildPath, buildType: buildinfo.buildTypeOption, environmentVariables: variables))
        switch status {
        case 0: return LocalBackend.exitBuilt
        case BuildSandbox.exitSetupFailed: return LocalBackend.exitTryLater
        default:
            log("the build failed in the sandbox (exit \(status))")
            return LocalBackend.exitBuildFailed
        }
    }
}
