import Testing
@testable import RebuilderSettings

@Suite struct StageSettingsTests {
    @Test func everyKeyIsRead() throws {
        let text = """
            [stage.build]
            command = /usr/local/libexec/rebuilder/build-task --jobs 4 "--label=debian rebuild"
            concurrency = 8
            timeout = 21600
            """
        let configuration = try RebuilderConfiguration.parse(text: text, path: "t.conf")
        var expected = StageSettings()
        expected.command = ["/usr/local/libexec/rebuilder/build-task", "--jobs", "4", "--label=debian rebuild"]
        expected.concurrency = 8
        expected.timeoutSeconds = 21600
        #expect(configuration.stages["build"] == expected)
        #expect(configuration.stages["attest"] == StageSettings())
    }

    @Test(arguments: StageSettings.knownStages)
    func everyKnownStageIsAccepted(stage: String) throws {
        let configuration = try RebuilderConfiguration.parse(
            text: "[stage.\(stage)]\ncommand = /bin/\(stage)-task\n", path: "t.conf")
        #expect(configuration.stages[stage]?.command == ["/bin/\(stage)-task"])
        #expect(configuration.stages.count == 5)
    }

    @Test func commandMaySpanContinuationLines() throws {
        let text = "[stage.upload]\ncommand = /bin/upload\n    --to 'host a'\n    --retries 3\n"
        let stage = try RebuilderConfiguration.parse(text: text, path: "t.conf").stages["upload"]
        #expect(stage?.command == ["/bin/upload", "--to", "host a", "--retries", "3"])
    }

    @Test func unknownStage() {
        let error = parseError("[spool]\n\n[stage.frobnicate]\ncommand = /bin/true\n", path: "t.conf")
        #expect(error?.description
            == "t.conf:3: unknown stage 'frobnicate' in [stage.frobnicate]; expected one of get, build, attest, report, upload")
    }

    @Test func misspelledStageGetsASuggestion() {
        let error = parseError("[stage.biuld]\n", path: "t.conf")
        #expect(error?.description
            == "t.conf:1: unknown stage 'biuld' in [stage.biuld]; expected one of get, build, attest, report, upload (did you mean 'build'?)")
    }

    @Test func unknownKey() {
        let error = parseError("[stage.report]\ncommand = /bin/report\nretries = 3\n", path: "t.conf")
        #expect(error?.description == "t.conf:3: unknown key 'retries' in [stage.report]")
    }

    @Test(arguments: [
        ("command =", "bad value '' for 'command' in [stage.build]: expected a command to run, such as /usr/local/libexec/rebuilder/build-task"),
        ("command = ''", "bad value '''' for 'command' in [stage.build]: expected a command to run, such as /usr/local/libexec/rebuilder/build-task"),
        ("command = /bin/build 'unterminated", "bad value '/bin/build 'unterminated' for 'command' in [stage.build]: expected a command line (unterminated single quote)"),
        ("concurrency = 0", "bad value '0' for 'concurrency' in [stage.build]: expected a whole number from 1 to 256"),
        ("concurrency = 257", "bad value '257' for 'concurrency' in [stage.build]: expected a whole number from 1 to 256"),
        ("concurrency = two", "bad value 'two' for 'concurrency' in [stage.build]: expected a whole number from 1 to 256"),
        ("timeout = 0", "bad value '0' for 'timeout' in [stage.build]: expected a number of seconds such as 60 or 0.5, greater than 0 up to 31536000"),
        ("timeout = 6h", "bad value '6h' for 'timeout' in [stage.build]: expected a number of seconds such as 60 or 0.5, greater than 0 up to 31536000"),
    ])
    func badValues(line: String, message: String) {
        let error = parseError("[stage.build]\n\(line)\n", path: "t.conf")
        #expect(error == ConfigurationError(path: "t.conf", line: 2, message: message))
    }
}
