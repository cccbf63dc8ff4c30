import Foundation
import Buildinfo
import Crypto
import Hexadecimal
import PackageCache
import Snapshot

/// Every file a rebuild needs, found in the snapshot service and held in the host's cache: the
/// `.deb` of each Installed-Build-Depends entry and the source package. Each was checked against
/// the hash it was resolved with before it entered the cache; source files also against the
/// `.dsc`, and the `.dsc` against the buildinfo when the buildinfo lists it.
public struct ResolvedEnvironment: Sendable {
    public struct CachedFile: Sendable, Equatable {
        /// The name the archive gives it (what apt and dpkg-source expect).
        public var name: String
        public var sha256: String
        public var path: String
    }

    public var packages: [CachedFile]
    public var sources: [CachedFile]
    public var dsc: String
    /// Bytes downloaded to resolve it (0 when the cache had everything).
    public var downloadedBytes: Int

    /// The key of the environment these packages make: the same set of files, the same key.
    public var environmentKey: String {
        let lines = packages.map { "\($0.name) \($0.sha256)\n" }.sorted().joined()
        return Hex.lowercase(SHA256.hash(data: Array(("environment 1\n" + lines).utf8)))
    }

    /// Why the environment could not be resolved: every package that failed, each with its reason.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var problems: [SnapshotError]

        public var description: String {
            let missing = problems.filter { $0.kind == .missing }.map(\.subject)
            let refused = problems.filter { $0.kind == .mismatch }.map(\.subject)
            var parts: [String] = []
            if !missing.isEmpty { parts.append("not in the snapshot: \(missing.joined(separator: ", "))") }
            if !refused.isEmpty { parts.append("refused (bytes do not match their hash): \(refused.joined(separator: ", "))") }
            let others = problems.filter { $0.kind != .missing && $0.kind != .mismatch }
            if !others.isEmpty { parts.append("unavailable: \(others.map(\.subject).joined(separator: ", "))") }
            return "cannot make the build environment: " + parts.joined(separator: "; ")
        }
    }

    /// Resolves and fetches what `buildinfo` names: each package from the snapshot service, or
    /// where it lacks one, from the first of `repositories` whose verified index has that exact
    /// version. `log` gets one line per problem and a summary.
    public static func resolve(_ buildinfo: Buildinfo, service: SnapshotService, repositories: [AptRepository] = [],
                               cache: ContentCache, log: (String) -> Void) throws(Failure) -> ResolvedEnvironment {
        let architecture = buildinfo.buildArchitecture ?? "amd64"
        var problems: [SnapshotError] = []
        var downloaded = 0
        func fetch(_ file: SnapshotFile) throws(SnapshotError) -> CachedFile {
            if let cached = cache.file(sha1: file.sha1) { return CachedFile(name: file.name, sha256: cached.sha256, path: cached.path) }
            let bytes = try service.download(file)
            downloaded += bytes.count
            do {
                let stored = try cache.store(bytes, sha1: file.sha1)
                return CachedFile(name: file.name, sha256: stored.sha256, path: stored.path)
            } catch {
                throw SnapshotError(.unavailable, subject: file.name, reason: "cannot store it in the cache: \(error)")
            }
        }
        var indexes: [Int: [String: [String: [String: AptRepository.Entry]]]] = [:]
        /// The package from a repository, or nil when none has it.
        func fromRepositories(_ wanted: PackageVersion) throws(SnapshotError) -> CachedFile? {
            for (number, repository) in repositories.enumerated() {
                if indexes[number] == nil {
                    do {
                        indexes[number] = try repository.index(architecture: architecture, client: service.client, scratch: cache.root)
                    } catch {
                        log("repository \(repository.line) is not used: \(error)")
                        indexes[number] = [:]
                    }
                }
                let versions = indexes[number]?[wanted.name]?[wanted.version.description]
                guard let entry = versions?[wanted.architecture ?? architecture] ?? versions?["all"] else { continue }
                let name = (entry.filename as NSString).lastPathComponent
                if let path = cache.file(sha256: entry.sha256) { return CachedFile(name: name, sha256: entry.sha256, path: path) }
                let bytes = try repository.download(entry, client: service.client)
                downloaded += bytes.count
                let sha1 = Hex.lowercase(Insecure.SHA1.hash(data: bytes))
                do {
                    let stored = try cache.store(bytes, sha1: sha1)
                    log("\(wanted.name) (= \(wanted.version)) from \(repository.url)")
                    return CachedFile(name: name, sha256: stored.sha256, path: stored.path)
                } catch {
                    throw SnapshotError(.unavailable, subject: name, reason: "cannot store it in the cache: \(error)")
                }
            }
            return nil
        }
        var packages: [CachedFile] = []
        for wanted in buildinfo.installedBuildDepends {
            do throws(SnapshotError) {
                do throws(SnapshotError) {
                    let file = try service.binary(wanted.name, version: wanted.version.description, architecture: wanted.architecture ?? architecture)
                    packages.append(try fetch(file))
                } catch where error.kind == .missing {
                    guard let found = try fromRepositories(wanted) else { throw error }
                    packages.append(found)
                }
            } catch {
                log("\(error.kind == .mismatch ? "refused" : "cannot resolve") \(wanted.name) (= \(wanted.version)): \(error.reason)")
                problems.append(SnapshotError(error.kind, subject: "\(wanted.name) (= \(wanted.version))", reason: error.reason))
            }
        }
        var sources: [CachedFile] = []
        var dsc = ""
        do {
            let files = try service.sourceFiles(buildinfo.source, version: buildinfo.sourceVersion.description)
            sources = try files.map { (file) throws(SnapshotError) in try fetch(file) }
            dsc = try checkSources(&sources, buildinfo: buildinfo)
        } catch {
            log("\(error.kind == .mismatch ? "refused" : "cannot resolve") source \(buildinfo.source) \(buildinfo.sourceVersion): \(error.reason)")
            problems.append(SnapshotError(error.kind, subject: "source \(buildinfo.source) (= \(buildinfo.sourceVersion))", reason: error.reason))
        }
        guard problems.isEmpty else { throw Failure(problems: problems) }
        return ResolvedEnvironment(packages: packages, sources: sources, dsc: dsc, downloadedBytes: downloaded)
    }

    /// Keeps the `.dsc` and the files it lists, each with the SHA-256 the `.dsc` gives; returns
    /// the `.dsc`'s name.
    private static func checkSources(_ sources: inout [CachedFile], buildinfo: Buildinfo) throws(SnapshotError) -> String {
        let subject = "source \(buildinfo.source) \(buildinfo.sourceVersion)"
        guard let dsc = sources.first(where: { $0.name.hasSuffix(".dsc") }) else {
            throw SnapshotError(.missing, subject: subject, reason: "no .dsc")
        }
        if let listed = buildinfo.checksumsSha256.first(where: { $0.name == dsc.name }), listed.digest != dsc.sha256 {
            throw SnapshotError(.mismatch, subject: dsc.name, reason: "its SHA-256 \(dsc.sha256) is not the buildinfo's \(listed.digest)")
        }
        let control: SourceControl
        do {
            control = try SourceControl.parse(try readAll(dsc.path), path: dsc.name)
        } catch {
            throw SnapshotError(.malformed, subject: dsc.name, reason: "\(error)")
        }
        var kept = [dsc]
        for listed in control.files {
            guard let file = sources.first(where: { $0.name == listed.name }) else {
                throw SnapshotError(.missing, subject: listed.name, reason: "listed in \(dsc.name) but not in the snapshot's files of \(subject)")
            }
            guard file.sha256 == listed.digest else {
                throw SnapshotError(.mismatch, subject: listed.name, reason: "its SHA-256 \(file.sha256) is not the \(listed.digest) \(dsc.name) gives")
            }
            kept.append(file)
        }
        sources = kept
        return dsc.name
    }

    private static func readAll(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw RebuildError("cannot read \(path)") }
        return Array(data)
    }
}
