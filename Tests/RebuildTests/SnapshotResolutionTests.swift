import Buildinfo
import Foundation
import PackageCache
import Rebuild
import Snapshot
import Synchronization
import Testing

/// Resolving a buildinfo's packages through a snapshot service into the content-addressed cache.
@Suite struct SnapshotResolutionTests {
    private func cache(_ fixture: SnapshotFixture, capacity: Int = 1 << 30) throws -> ContentCache {
        try ContentCache(root: fixture.directory.path + "/cache", capacityBytes: capacity)
    }

    private func resolve(_ buildinfo: Buildinfo, _ fixture: SnapshotFixture, cache: ContentCache) throws(ResolvedEnvironment.Failure) -> ResolvedEnvironment {
        try ResolvedEnvironment.resolve(buildinfo, service: SnapshotService(base: fixture.base), cache: cache, log: { _ in })
    }

    /// Every file under files/ hashes to its name.
    private func checkCacheHashes(_ cache: ContentCache) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.root + "/files")
        for name in names {
            #expect(!name.hasPrefix("."), "a temporary was left in the cache: \(name)")
            let sum = try SnapshotFixture.run(["sha256sum", cache.root + "/files/" + name]).split(separator: " ")[0]
            #expect(String(sum) == name)
        }
    }

    @Test func resolvesEveryPackageAndTheSourceThenASecondTimeDownloadsNothing() throws {
        let fixture = try SnapshotFixture()
        let cache = try cache(fixture)
        let first = try resolve(try fixture.buildinfo(), fixture, cache: cache)
        #expect(first.packages.map(\.name).sorted() == fixture.packages.map { ($0.file as NSString).lastPathComponent }.sorted())
        #expect(first.sources.map(\.name) == ["tiny_1.0.dsc", "tiny_1.0.tar.xz"])
        #expect(first.dsc == "tiny_1.0.dsc")
        #expect(first.downloadedBytes > 0)
        try checkCacheHashes(cache)

        let second = try resolve(try fixture.buildinfo(), fixture, cache: cache)
        #expect(second.downloadedBytes == 0)
        #expect(second.environmentKey == first.environmentKey)
    }

    @Test func aVersionTheSnapshotLacksFailsNamingThePackage() throws {
        let fixture = try SnapshotFixture()
        var wanted = fixture.packages.map { ($0.name, $0.version) }
        wanted[0].1 = "0.0-no-such-version"
        wanted.append(("no-such-package", "1.0"))
        let buildinfo = try fixture.buildinfo(installing: wanted.map { (name: $0.0, version: $0.1) })
        let cache = try cache(fixture)
        do {
            _ = try resolve(buildinfo, fixture, cache: cache)
            Issue.record("resolved a version the snapshot lacks")
        } catch {
            #expect(error.problems.map(\.kind) == [.missing, .missing])
            #expect(error.description.contains("\(wanted[0].0) (= 0.0-no-such-version)"))
            #expect(error.description.contains("no-such-package (= 1.0)"))
        }
    }

    @Test func bytesThatDoNotMatchTheirHashAreRefusedAndNeverCached() throws {
        let fixture = try SnapshotFixture()
        let victim = fixture.packages[0].name
        let served = fixture.tree + "/file/" + (try fixture.sha1(of: victim))
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: served)))
        bytes[bytes.count / 2] ^= 0xFF  // same size, other bytes
        try FileManager.default.removeItem(atPath: served)  // a hard link: do not change the original
        try Data(bytes).write(to: URL(fileURLWithPath: served))
        let cache = try cache(fixture)
        let buildinfo = try fixture.buildinfo()
        do {
            _ = try resolve(buildinfo, fixture, cache: cache)
            Issue.record("a corrupted .deb was accepted")
        } catch {
            #expect(error.problems.map(\.kind) == [.mismatch])
            #expect(error.description.contains("refused (bytes do not match their hash): \(victim)"))
        }
        #expect(cache.file(sha1: try fixture.sha1(of: victim)) == nil)
        try checkCacheHashes(cache)
    }

    @Test func aSourceFileThatDiffersFromTheDscIsRefused() throws {
        let fixture = try SnapshotFixture()
        let tarball = fixture.directory.path + "/source/tiny_1.0.tar.xz"
        let sha1 = String(try SnapshotFixture.run(["sha1sum", tarball]).split(separator: " ")[0])
        // The snapshot serves other bytes under the tarball's hash, and its listing agrees (a
        // lying service): only the .dsc's SHA-256 can tell.
        let other = Array("other bytes, same size!\n".prefix(21).utf8)
        try FileManager.default.removeItem(atPath: fixture.tree + "/file/" + sha1)
        try Data(other).write(to: URL(fileURLWithPath: fixture.tree + "/file/" + sha1))
        let otherSHA1 = String(try SnapshotFixture.run(["sha1sum", fixture.tree + "/file/" + sha1]).split(separator: " ")[0])
        try FileManager.default.moveItem(atPath: fixture.tree + "/file/" + sha1, toPath: fixture.tree + "/file/" + otherSHA1)
        let listing = fixture.tree + "/mr/package/tiny/1.0/srcfiles"
        let text = try String(contentsOfFile: listing, encoding: .utf8).replacingOccurrences(of: sha1, with: otherSHA1)
        try text.write(toFile: listing, atomically: true, encoding: .utf8)
        let buildinfo = try fixture.buildinfo()
        let cache = try cache(fixture)
        do {
            _ = try resolve(buildinfo, fixture, cache: cache)
            Issue.record("a source file that is not the .dsc's was accepted")
        } catch {
            #expect(error.problems.map(\.kind) == [.mismatch])
            #expect(error.description.contains("source tiny (= 1.0)"))
        }
    }

    @Test func twoResolutionsAtOnceShareTheCacheWithoutCorruptingIt() throws {
        let fixture = try SnapshotFixture()
        let cache = try cache(fixture)
        let everything = try fixture.buildinfo()
        let some = try fixture.buildinfo(installing: Array(fixture.packages.prefix(2)).map { ($0.name, $0.version) })
        let failures = Mutex(0)
        let service = SnapshotService(base: fixture.base)
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            do {
                _ = try ResolvedEnvironment.resolve(index.isMultiple(of: 2) ? everything : some, service: service, cache: cache, log: { _ in })
            } catch {
                failures.withLock { $0 += 1 }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        try checkCacheHashes(cache)
        #expect(try resolve(everything, fixture, cache: cache).downloadedBytes == 0)
    }

    @Test func evictionRemovesTheLeastRecentlyUsedFirst() throws {
        let fixture = try SnapshotFixture()
        let cache = try cache(fixture, capacity: 1)
        let files = try fixture.packages.map { package -> (String, Int) in
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: package.file)))
            return (try cache.store(bytes, sha1: try fixture.sha1(of: package.name)).path, bytes.count)
        }
        // Oldest use first: the first file, then the third; the second is used last.
        for (age, file) in zip([300, 100, 200], files) {
            var times = [timespec(tv_sec: time(nil) - age, tv_nsec: 0), timespec(tv_sec: time(nil) - age, tv_nsec: 0)]
            #expect(utimensat(AT_FDCWD, file.0, &times, 0) == 0)
        }
        let keep = ContentCache(copying: cache, capacity: files[1].1)
        keep.evict()
        #expect(!FileManager.default.fileExists(atPath: files[0].0))
        #expect(!FileManager.default.fileExists(atPath: files[2].0))
        #expect(FileManager.default.fileExists(atPath: files[1].0))
        #expect(keep.size() <= files[1].1)
    }
}

extension ContentCache {
    init(copying cache: ContentCache, capacity: Int) {
        self = cache
        capacityBytes = capacity
    }
}
