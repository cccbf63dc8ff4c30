import Testing
@testable import RebuilderSettings

@Suite struct DefaultsTests {
    @Test func spoolDefaults() {
        let spool = SpoolSettings()
        #expect(spool.root == "/var/spool/rebuilder")
        #expect(spool.maxAttempts == 5)
        #expect(spool.backoffSeconds == 60)
        #expect(spool.maxBackoffSeconds == 3600)
        #expect(spool.rescanSeconds == 30)
        #expect(spool.watch == true)
        #expect(spool.settleSeconds == 2)
        #expect(spool.maxTaskBytes == 32 * 1024 * 1024)
        #expect(spool.fsync == true)
    }

    @Test func stageDefaults() {
        let stage = StageSettings()
        #expect(stage.command == nil)
        #expect(stage.concurrency == 1)
        #expect(stage.timeoutSeconds == nil)
    }

    @Test func configurationDefaultsHaveEveryStage() {
        let configuration = RebuilderConfiguration()
        #expect(configuration.spool == SpoolSettings())
        #expect(configuration.stages.keys.sorted() == ["attest", "build", "get", "report", "upload"])
        #expect(configuration.stages.values.allSatisfy { $0 == StageSettings() })
        #expect(configuration.sections.isEmpty)
        #expect(configuration.notices.isEmpty)
        #expect(RebuilderConfiguration.defaultPath == "/etc/rebuilder/rebuilder.conf")
    }

    @Test(arguments: ["", "\n\n", "# only a comment\n; and another\n"])
    func emptyFileGivesDefaults(text: String) throws {
        let configuration = try RebuilderConfiguration.parse(text: text, path: "empty.conf")
        #expect(configuration == RebuilderConfiguration())
    }

    @Test func emptySectionsGiveDefaults() throws {
        let configuration = try RebuilderConfiguration.parse(text: "[spool]\n[stage.build]\n", path: "t.conf")
        #expect(configuration == RebuilderConfiguration())
    }
}
