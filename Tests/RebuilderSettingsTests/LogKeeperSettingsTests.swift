import Testing
@testable import RebuilderSettings

@Suite struct LogKeeperSettingsTests {
    @Test func withoutTheSectionThereIsNoKeeper() throws {
        #expect(try RebuilderConfiguration.parse(text: "[spool]\n", path: "t.conf").logKeeper == nil)
    }

    @Test func everyKeyIsRead() throws {
        let text = """
            [logkeeper]
            socket = /run/rk/keeper.sock
            directory = /srv/logs
            gnupg-home = /srv/keeper-gnupg
            signing-key = 0123456789ABCDEF0123456789ABCDEF01234567
            keyring = /srv/keeper-ring
            senders = rebuilder-build, 990
            compress-above = 1M
            push = logs@logs.example.org:/srv/logs.git
            push-port = 2222
            push-key = /srv/keeper-ssh/id
            push-known-hosts = /srv/keeper-ssh/known_hosts
            receipt-attempts = 3
            """
        let keeper = try #require(try RebuilderConfiguration.parse(text: text, path: "t.conf").logKeeper)
        var expected = LogKeeperSettings()
        expected.socket = "/run/rk/keeper.sock"
        expected.directory = "/srv/logs"
        expected.gnupgHome = "/srv/keeper-gnupg"
        expected.signingKey = "0123456789ABCDEF0123456789ABCDEF01234567"
        expected.keyring = "/srv/keeper-ring"
        expected.senders = ["rebuilder-build", "990"]
        expected.compressAboveBytes = 1 << 20
        expected.push = "logs@logs.example.org:/srv/logs.git"
        expected.pushPort = 2222
        expected.pushKey = "/srv/keeper-ssh/id"
        expected.pushKnownHosts = "/srv/keeper-ssh/known_hosts"
        expected.receiptAttempts = 3
        #expect(keeper == expected)
    }

    @Test(arguments: [
        ("signing-key = 1234", "a key fingerprint of 40 hex digits"),
        ("socket = relative.sock", "absolute"),
        ("push = -oProxyCommand=evil:x", "user@host:path of a git repository"),
        ("senders = root;reboot", "user names or uids"),
        ("receipt-attempts = 0", "1"),
    ])
    func badValuesAreRefusedWithWhatWasExpected(line: String, expected: String) {
        let error = parseError("[logkeeper]\n\(line)\n", path: "t.conf")
        #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
        #expect(error?.description.hasPrefix("t.conf:2:") == true)
    }

    @Test func buildUserIsAName() {
        let error = parseError("[stage.build]\nbuild-user = -root\n", path: "t.conf")
        #expect(error?.description.contains("a user name") == true, "\(String(describing: error))")
    }
}
