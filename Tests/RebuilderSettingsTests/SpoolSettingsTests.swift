import Testing
@testable import RebuilderSettings

@Suite struct SpoolSettingsTests {
    @Test func everyKeyIsRead() throws {
        let text = """
            [spool]
            root = /srv/rebuilder/spool
            max-attempts = 12
            backoff = 0.5
            max-backoff = 90
            rescan-period = 7.25
            watch = off
            settle = 0
            max-task-size = 4096
            fsync = NO
            """
        let spool = try RebuilderConfiguration.parse(text: text, path: "t.conf").spool
        var expected = SpoolSettings()
        expected.root = "/srv/rebuilder/spool"
        expected.maxAttempts = 12
        expected.backoffSeconds = 0.5
        expected.maxBackoffSeconds = 90
        expected.rescanSeconds = 7.25
        expected.watch = false
        expected.settleSeconds = 0
        expected.maxTaskBytes = 4096
        expected.fsync = false
        #expect(spool == expected)
    }

    @Test(arguments: [
        ("true", true), ("false", false), ("yes", true), ("no", false),
        ("1", true), ("0", false), ("on", true), ("off", false), ("Yes", true), ("FALSE", false),
    ])
    func booleans(text: String, value: Bool) throws {
        let spool = try RebuilderConfiguration.parse(text: "[spool]\nwatch = \(text)\nfsync = \(text)\n", path: "t.conf").spool
        #expect(spool.watch == value)
        #expect(spool.fsync == value)
    }

    @Test(arguments: [
        ("1", 1), ("512", 512), ("32M", 33_554_432), ("8K", 8192), ("2G", 2_147_483_648), ("3m", 3_145_728),
    ])
    func taskSizes(text: String, bytes: Int) throws {
        let spool = try RebuilderConfiguration.parse(text: "[spool]\nmax-task-size = \(text)\n", path: "t.conf").spool
        #expect(spool.maxTaskBytes == bytes)
    }

    @Test func unknownKey() {
        let text = "[spool]\n" + String(repeating: "\n", count: 10) + "fooo = 1\n"
        let error = parseError(text, path: "/etc/rebuilder/rebuilder.conf")
        #expect(error?.description == "/etc/rebuilder/rebuilder.conf:12: unknown key 'fooo' in [spool]")
    }

    @Test func unknownKeySuggestsTheClosestKnownKey() {
        let error = parseError("[spool]\nmax-attempt = 3\n", path: "t.conf")
        #expect(error?.description == "t.conf:2: unknown key 'max-attempt' in [spool] (did you mean 'max-attempts'?)")
    }

    @Test(arguments: [
        ("max-attempts = ten", "bad value 'ten' for 'max-attempts' in [spool]: expected a whole number from 1 to 1000"),
        ("max-attempts = 0", "bad value '0' for 'max-attempts' in [spool]: expected a whole number from 1 to 1000"),
        ("max-attempts = 1001", "bad value '1001' for 'max-attempts' in [spool]: expected a whole number from 1 to 1000"),
        ("max-attempts = -1", "bad value '-1' for 'max-attempts' in [spool]: expected a whole number from 1 to 1000"),
        ("max-attempts = 99999999999999999999999", "bad value '99999999999999999999999' for 'max-attempts' in [spool]: expected a whole number from 1 to 1000"),
        ("backoff = 1m", "bad value '1m' for 'backoff' in [spool]: expected a number of seconds such as 60 or 0.5, from 0 up to 31536000"),
        ("backoff = inf", "bad value 'inf' for 'backoff' in [spool]: expected a number of seconds such as 60 or 0.5, from 0 up to 31536000"),
        ("backoff = 1e3", "bad value '1e3' for 'backoff' in [spool]: expected a number of seconds such as 60 or 0.5, from 0 up to 31536000"),
        ("backoff = .5", "bad value '.5' for 'backoff' in [spool]: expected a number of seconds such as 60 or 0.5, from 0 up to 31536000"),
        ("backoff =", "bad value '' for 'backoff' in [spool]: expected a number of seconds such as 60 or 0.5, from 0 up to 31536000"),
        ("rescan-period = 0", "bad value '0' for 'rescan-period' in [spool]: expected a number of seconds such as 60 or 0.5, greater than 0 up to 31536000"),
        ("settle = 40000000", "bad value '40000000' for 'settle' in [spool]: expected a number of seconds such as 60 or 0.5, from 0 up to 31536000"),
        ("watch = maybe", "bad value 'maybe' for 'watch' in [spool]: expected true/false, yes/no, on/off or 1/0"),
        ("fsync = ", "bad value '' for 'fsync' in [spool]: expected true/false, yes/no, on/off or 1/0"),
        ("max-task-size = 32MB", "bad value '32MB' for 'max-task-size' in [spool]: expected a positive number of bytes, optionally with a suffix K, M or G (such as 32M)"),
        ("max-task-size = 0", "bad value '0' for 'max-task-size' in [spool]: expected a positive number of bytes, optionally with a suffix K, M or G (such as 32M)"),
        ("max-task-size = M", "bad value 'M' for 'max-task-size' in [spool]: expected a positive number of bytes, optionally with a suffix K, M or G (such as 32M)"),
        ("max-task-size = 99999999999G", "bad value '99999999999G' for 'max-task-size' in [spool]: expected a positive number of bytes, optionally with a suffix K, M or G (such as 32M)"),
        ("root = relative/path", "bad value 'relative/path' for 'root' in [spool]: expected an absolute path"),
    ])
    func badValues(line: String, message: String) {
        let error = parseError("[spool]\n# a comment\n\(line)\n", path: "t.conf")
        #expect(error == ConfigurationError(path: "t.conf", line: 3, message: message))
    }

    @Test func maxBackoffBelowBackoffIsReportedOnMaxBackoffLine() {
        let error = parseError("[spool]\nmax-backoff = 10\nbackoff = 60\n", path: "t.conf")
        #expect(error?.description == "t.conf:2: 'max-backoff' (10) must not be less than 'backoff' (60) in [spool]")
    }

    @Test func backoffAboveDefaultCeilingIsReportedOnBackoffLine() {
        let error = parseError("[spool]\nbackoff = 7200.5\n", path: "t.conf")
        #expect(error?.description == "t.conf:2: 'max-backoff' (3600) must not be less than 'backoff' (7200.5) in [spool]")
    }
}

@Suite struct PublishSettingsTests {
    @Test func everyKeyIsRead() throws {
        let text = """
            [publish]
            root = /srv/published
            gnupg-home = /srv/gnupg
            prometheus-directory = /var/lib/prometheus/node-exporter
            ssh-directory = /srv/ssh
            ssh-port = 2222
            known-hosts = /srv/ssh/known_hosts
            """
        let publish = try RebuilderConfiguration.parse(text: text, path: "t.conf").publish
        var expected = PublishSettings()
        expected.root = "/srv/published"
        expected.gnupgHome = "/srv/gnupg"
        expected.prometheusDirectory = "/var/lib/prometheus/node-exporter"
        expected.sshDirectory = "/srv/ssh"
        expected.sshPort = 2222
        expected.knownHosts = "/srv/ssh/known_hosts"
        #expect(publish == expected)
    }

    @Test(arguments: [
        ("root = published", "t.conf:2: bad value 'published' for 'root' in [publish]: expected an absolute path"),
        ("ssh-port = 0", "t.conf:2: bad value '0' for 'ssh-port' in [publish]: expected a whole number from 1 to 65535"),
        ("gnupg-hom = /x", "t.conf:2: unknown key 'gnupg-hom' in [publish] (did you mean 'gnupg-home'?)"),
    ])
    func badValuesNameTheLine(line: String, message: String) {
        let error = #expect(throws: ConfigurationError.self) { try RebuilderConfiguration.parse(text: "[publish]\n\(line)\n", path: "t.conf") }
        #expect(error?.description == message)
    }
}
