import Testing
@testable import RebuilderSettings

/// [webhook] and [commands]: the receiver's and the commands stage's settings.
@Suite struct BuildsOnDemandSettingsTests {
    static let alice = "0123456789ABCDEF0123456789ABCDEF01234567"

    @Test func everyKeyIsRead() throws {
        let text = """
            [webhook]
            listen = [::1]:9000
            github-secret-file = /etc/rebuilder/github
            gitlab-token-file = /etc/rebuilder/gitlab
            max-body = 1M
            specs = bookworm+essential.amd64 trixie+essential.amd64
            state = /srv/webhook

            [commands]
            directory = /srv/commands
            keyring = /srv/command-keys
            max-size = 4K
            max-age = 600
            max-ahead = 60
            signer.\(Self.alice.lowercased()) = Rebuild Retry for bookworm+essential.amd64
            signer.89ABCDEF0123456789ABCDEF0123456789ABCDEF = * for *
            """
        let configuration = try RebuilderConfiguration.parse(text: text, path: "t.conf")
        var webhook = WebhookSettings()
        webhook.host = "::1"
        webhook.port = 9000
        webhook.githubSecretFile = "/etc/rebuilder/github"
        webhook.gitlabTokenFile = "/etc/rebuilder/gitlab"
        webhook.maximumBodyBytes = 1 << 20
        webhook.specs = ["bookworm+essential.amd64", "trixie+essential.amd64"]
        webhook.state = "/srv/webhook"
        #expect(configuration.webhook == webhook)
        var commands = CommandsSettings()
        commands.directory = "/srv/commands"
        commands.keyring = "/srv/command-keys"
        commands.maximumBytes = 4096
        commands.maximumAgeSeconds = 600
        commands.maximumAheadSeconds = 60
        commands.signers = [
            Self.alice: SignerPermission(commands: ["Rebuild", "Retry"], specs: ["bookworm+essential.amd64"]),
            "89ABCDEF0123456789ABCDEF0123456789ABCDEF": SignerPermission(commands: nil, specs: nil),
        ]
        #expect(configuration.commands == commands)
        #expect(configuration.commands.inbox == "/srv/commands/inbox")
    }

    @Test func theDefaultsKeepQubesWindowAndNoSigner() {
        let commands = CommandsSettings()
        #expect(commands.maximumAgeSeconds == 3600 && commands.maximumAheadSeconds == 300)
        #expect(commands.signers.isEmpty && commands.keyring == nil)
    }

    @Test(arguments: [
        ("[webhook]\nlisten = 8780\n", "host:port"),
        ("[webhook]\ncommand-inbox = /x\n", "unknown key 'command-inbox' in [webhook]"),
        ("[commands]\nsigner.1234 = * for *\n", "40 or 64 hex digits"),
        ("[commands]\nsigner.\(alice) = Rebuild\n", "<commands> for <specs>"),
        ("[commands]\nsigner.\(alice) = Delete for *\n", "not 'Delete'"),
        ("[commands]\nsigner.\(alice) = Rebuild for bookworm\n", "not 'bookworm'"),
        ("[commands]\nkeyring = keys\n", "absolute"),
        ("[commands]\nmax-age = 0\n", "max-age"),
    ])
    func badValuesAreRefusedWithWhatWasExpected(text: String, expected: String) {
        let error = parseError(text, path: "t.conf")
        #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
        #expect(error?.description.hasPrefix("t.conf:2:") == true, "\(String(describing: error))")
    }
}
