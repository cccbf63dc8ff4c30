import Fetching
import Testing

@Suite struct RsyncListingParseTests {
    let url = "rsync://ftp.qubes-os.org/qubes-mirror/repo/"

    @Test func linesAsTheOriginalSawThem() throws {
        let output = """
            drwxr-xr-x          4,096 2023/01/05 10:00:00 .
            drwxr-xr-x          4,096 2020/12/23 14:57:05 deb/r4.1/vm/pool/main/d/dnf
            -rw-r--r--         11,392 2020/12/23 14:57:05 deb/r4.1/vm/pool/main/d/dnf/dnf_4.5.2-1+deb11u1_amd64.buildinfo
            -rw-r--r--      1,234,567 2020/12/23 14:57:05 deb/r4.1/vm/pool/main/d/dnf/dnf_4.5.2-1+deb11u1_all.deb
            -rw-r--r--            512 2021/01/02 03:04:05 deb/r4.1/vm/dists/bullseye/Release

            """
        #expect(try RsyncListing.parse(output, url: url) == [
            RsyncEntry(path: "deb/r4.1/vm/pool/main/d/dnf", isDirectory: true, size: nil),
            RsyncEntry(path: "deb/r4.1/vm/pool/main/d/dnf/dnf_4.5.2-1+deb11u1_amd64.buildinfo", isDirectory: false, size: 11392),
            RsyncEntry(path: "deb/r4.1/vm/pool/main/d/dnf/dnf_4.5.2-1+deb11u1_all.deb", isDirectory: false, size: 1_234_567),
            RsyncEntry(path: "deb/r4.1/vm/dists/bullseye/Release", isDirectory: false, size: 512),
        ])
    }

    @Test func namesKeepTheirSpaces() throws {
        let output = """
            -rw-r--r--              3 2020/12/23 14:57:05 with space/two  spaces .buildinfo
            -rw-r--r--              3 2020/12/23 14:57:05  leading space
            -rw-r--r--     12,345,678,901 2020/12/23 14:57:05 huge file
            """
        #expect(try RsyncListing.parse(output, url: url).map(\.path) == ["with space/two  spaces .buildinfo", " leading space", "huge file"])
        #expect(try RsyncListing.parse(output, url: url).map(\.size) == [3, 3, 12_345_678_901])
    }

    @Test func escapedBytesAreDecodedAndASymlinkIsItsName() throws {
        let output = """
            -rw-r--r--              0 2020/12/23 14:57:05 new\\#012line
            -rw-r--r--              0 2020/12/23 14:57:05 back\\slash and \\#xyz
            lrwxrwxrwx             10 2020/12/23 14:57:05 current -> r4.1/vm
            """
        #expect(try RsyncListing.parse(output, url: url) == [
            RsyncEntry(path: "new\nline", isDirectory: false, size: 0),
            RsyncEntry(path: "back\\slash and \\#xyz", isDirectory: false, size: 0),
            RsyncEntry(path: "current", isDirectory: false, size: 10),
        ])
    }

    @Test func noOutputIsNoEntries() throws {
        #expect(try RsyncListing.parse("", url: url) == [])
        #expect(try RsyncListing.parse("drwxr-xr-x          4,096 2023/01/05 10:00:00 .\n", url: url) == [])
    }

    @Test(arguments: [
        "Welcome to the Qubes OS mirror",
        "-rw-r--r--         11,392 2020/12/23 14:57:05",
        "-rw-r--r--         11,392 2020/12/23 14:57:05 ",
        "-rw-r--r--         11x392 2020/12/23 14:57:05 name",
        "-rw-r--r--         11,392 2020-12-23 14:57:05 name",
        "-rw-r--r--         11,392 2020/12/23 14:57 name",
        "?rw-r--r--         11,392 2020/12/23 14:57:05 name",
        "-rw-r--r--+        11,392 2020/12/23 14:57:05 name",
        "-rw-r--r--  99999999999999999999999 2020/12/23 14:57:05 name",
    ])
    func aLineThatDoesNotParseIsAnErrorNamingIt(line: String) {
        let output = "-rw-r--r--              3 2020/12/23 14:57:05 fine\n" + line + "\n"
        let error = #expect(throws: RsyncError.self) { try RsyncListing.parse(output, url: url) }
        #expect(error?.url == url)
        #expect(error?.reason.contains(line) == true)
        #expect(error?.description.hasPrefix(url + ": ") == true)
    }
}
