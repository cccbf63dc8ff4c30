import Testing
@testable import RebuilderSettings

@Suite struct NotifySettingsTests {
    @Test func withoutTheSectionThereIsNoOneToNotify() throws {
        let notify = try RebuilderConfiguration.parse(text: "[spool]\n", path: "t.conf").notify
        #expect(notify == NotifySettings())
        #expect(!notify.hasReceivers)
    }

    @Test func everyKeyIsRead() throws {
        let text = """
            [notify]
            urls = http://127.0.0.1:8080/hook
                https://hooks.example.org/a?b=c
            command = /usr/local/bin/tell "the team"
            timeout = 2.5
            attempts = 3
            retry-delay = 0.2
            links-base = https://rebuilder.example/
            concurrency = 4
            max-age = 3600
            """
        let notify = try RebuilderConfiguration.parse(text: text, path: "t.conf").notify
        var expected = NotifySettings()
        expected.urls = ["http://127.0.0.1:8080/hook", "https://hooks.example.org/a?b=c"]
        expected.command = ["/usr/local/bin/tell", "the team"]
        expected.timeoutSeconds = 2.5
        expected.attempts = 3
        expected.retryDelaySeconds = 0.2
        expected.linksBase = "https://rebuilder.example/"
        expected.concurrency = 4
        expected.maxAgeSeconds = 3600
        #expect(notify == expected)
        #expect(notify.hasReceivers)
    }

    @Test func badValuesNameTheKeyAndLine() {
        let cases = [
            ("urls = http://ok.example/ ftp://files.example/", "test.conf:2: bad value 'http://ok.example/ ftp://files.example/' for 'urls' in [notify]: expected a URL starting with http:// or https://"),
            ("attempts = 0", "test.conf:2: bad value '0' for 'attempts' in [notify]: expected a whole number from 1 to 100"),
            ("timeout = 0", "test.conf:2: bad value '0' for 'timeout' in [notify]: expected a number of seconds such as 60 or 0.5, greater than 0 up to 31536000"),
            ("command = 'unterminated", "test.conf:2: bad value ''unterminated' for 'command' in [notify]: expected a command line (unterminated single quote)"),
            ("url = http://typo.example/", "test.conf:2: unknown key 'url' in [notify] (did you mean 'urls'?)"),
        ]
        for (line, message) in cases {
            #expect(parseError("[notify]\n\(line)\n")?.description == message, "\(line)")
        }
    }
}
