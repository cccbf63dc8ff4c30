import Fetching
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite(.enabled(if: RsyncDaemon.available, "needs /usr/bin/rsync"))
struct RsyncListingTests {
    let directory: TemporaryDirectory
    let daemon: RsyncDaemon
    let vm = "repo/deb/r4.1/vm/"

    init() throws {
        directory = try TemporaryDirectory()
        let pool = "module/repo/deb/r4.1/vm/pool/main"
        try directory.write("module/repo/deb/r4.1/vm/dists/bullseye/Release", "Origin: Qubes\n")
        try directory.write("\(pool)/q/qubes-core-agent/qubes-core-agent_4.1.7-1+deb11u1_amd64.buildinfo", patternedBytes(11_392))
        try directory.write("\(pool)/q/qubes-core-agent/qubes-core-agent_4.1.7-1+deb11u1_amd64.deb", patternedBytes(1_234_567))
        try directory.write("\(pool)/q/qubes-core-agent/all-versions/qubes-core-agent_4.1.6-1+deb11u1_amd64.buildinfo", "old")
        try directory.write("\(pool)/w/with space/two  spaces.buildinfo", "abc")
        try directory.write("\(pool)/n/new\nline/ünïcode.buildinfo", "")
        try directory.write("module/repo/deb/r4.1/vm/all-versions/old.buildinfo", "old")
        try directory.write("module/repo/deb/r4.0/elsewhere", "not listed")
        daemon = try RsyncDaemon(directory: directory.path)
    }

    private var expected: [RsyncEntry] {
        let pool = "pool/main"
        return [
            RsyncEntry(path: "dists", isDirectory: true, size: nil),
            RsyncEntry(path: "dists/bullseye", isDirectory: true, size: nil),
            RsyncEntry(path: "dists/bullseye/Release", isDirectory: false, size: 14),
            RsyncEntry(path: "pool", isDirectory: true, size: nil),
            RsyncEntry(path: pool, isDirectory: true, size: nil),
            RsyncEntry(path: "\(pool)/n", isDirectory: true, size: nil),
            RsyncEntry(path: "\(pool)/n/new\nline", isDirectory: true, size: nil),
            RsyncEntry(path: "\(pool)/n/new\nline/ünïcode.buildinfo", isDirectory: false, size: 0),
            RsyncEntry(path: "\(pool)/q", isDirectory: true, size: nil),
            RsyncEntry(path: "\(pool)/q/qubes-core-agent", isDirectory: true, size: nil),
            RsyncEntry(path: "\(pool)/q/qubes-core-agent/qubes-core-agent_4.1.7-1+deb11u1_amd64.buildinfo", isDirectory: false, size: 11_392),
            RsyncEntry(path: "\(pool)/q/qubes-core-agent/qubes-core-agent_4.1.7-1+deb11u1_amd64.deb", isDirectory: false, size: 1_234_567),
            RsyncEntry(path: "\(pool)/w", isDirectory: true, size: nil),
            RsyncEntry(path: "\(pool)/w/with space", isDirectory: true, size: nil),
            RsyncEntry(path: "\(pool)/w/with space/two  spaces.buildinfo", isDirectory: false, size: 3),
        ]
    }

    @Test func aTreeIsListedWithoutWhatIsExcluded() throws {
        let entries = try RsyncListing.list(daemon.url(vm), excluding: ["all-versions"], timeout: 10)
        #expect(entries.sorted { $0.path < $1.path } == expected.sorted { $0.path < $1.path })
    }

    @Test func withoutExclusionsEverythingIsListed() throws {
        let paths = try RsyncListing.list(daemon.url(vm), timeout: 10).map(\.path)
        #expect(paths.contains("all-versions/old.buildinfo"))
        #expect(paths.contains("pool/main/q/qubes-core-agent/all-versions/qubes-core-agent_4.1.6-1+deb11u1_amd64.buildinfo"))
        #expect(paths.count == expected.count + 4)
    }

    @Test func anUnknownModuleIsAnErrorWithRsyncsMessage() {
        let url = "rsync://127.0.0.1:\(daemon.port)/no-such-module/"
        let error = #expect(throws: RsyncError.self) { try RsyncListing.list(url, timeout: 10) }
        #expect(error?.url == url)
        #expect(error?.reason.contains("Unknown module 'no-such-module'") == true)
        #expect(error?.reason.contains("status 5") == true)
    }

    @Test func aMissingDirectoryIsAnError() {
        let error = #expect(throws: RsyncError.self) { try RsyncListing.list(daemon.url("repo/deb/r9.9/"), timeout: 10) }
        #expect(error?.reason.contains("status 23") == true)
    }
}

@Suite(.enabled(if: RsyncDaemon.available, "needs /usr/bin/rsync"))
struct RsyncListingFailureTests {
    @Test func aClosedPortIsAnError() {
        let url = "rsync://127.0.0.1:\(closedPort())/qubes-mirror/"
        let error = #expect(throws: RsyncError.self) { try RsyncListing.list(url, timeout: 10) }
        #expect(error?.reason.contains("Connection refused") == true)
    }

    @Test func aServerThatNeverAnswersIsAnError() throws {
        // Accepted by the kernel (listen backlog), never answered.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        try #require(listening)
        let url = "rsync://127.0.0.1:\(UInt16(bigEndian: address.sin_port))/qubes-mirror/"
        #expect(throws: RsyncError.self) { try RsyncListing.list(url, timeout: 1) }
    }

    @Test(arguments: ["http://127.0.0.1/x/", "127.0.0.1::qubes-mirror/", "-e sh rsync://x/", "/etc/"])
    func onlyRsyncURLsAreListed(url: String) {
        let error = #expect(throws: RsyncError.self) { try RsyncListing.list(url, timeout: 10) }
        #expect(error?.reason == "not an rsync:// URL")
    }
}
