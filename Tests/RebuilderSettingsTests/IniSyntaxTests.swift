import Testing
@testable import RebuilderSettings

@Suite struct IniSyntaxTests {
    @Test func continuationLinesJoinWithNewlines() throws {
        let text = """
            [debian]
            dist = bookworm+essential.amd64
                bookworm+essential.all

                trixie+essential.amd64
            [common]
            snapshot = http://snapshot.example
            """
        let configuration = try RebuilderConfiguration.parse(text: text, path: "t.conf")
        #expect(configuration.sections["debian"]?["dist"]
            == "bookworm+essential.amd64\nbookworm+essential.all\n\ntrixie+essential.amd64")
        #expect(configuration.sections["common"]?["snapshot"] == "http://snapshot.example")
        #expect(configuration.specs(of: "debian")
            == ["bookworm+essential.amd64", "bookworm+essential.all", "trixie+essential.amd64"])
    }

    @Test func trailingBlankLinesAreNotPartOfAValue() throws {
        let text = "[debian]\ndist = a.all\n  b.all\n\n\n[common]\n"
        let configuration = try RebuilderConfiguration.parse(text: text, path: "t.conf")
        #expect(configuration.sections["debian"]?["dist"] == "a.all\nb.all")
    }

    @Test func indentedKeysAtTheSameDepthAreSeparateKeys() throws {
        // configparser continues a value only with lines indented deeper than its key.
        let text = "[spool]\n  root = /srv/spool\n  max-attempts = 7\n"
        let spool = try RebuilderConfiguration.parse(text: text, path: "t.conf").spool
        #expect(spool.root == "/srv/spool")
        #expect(spool.maxAttempts == 7)
    }

    @Test func commentsAndBlankLinesAreSkipped() throws {
        let text = """
            # hash comment
            ; semicolon comment

            [spool]
              # indented comment
            max-attempts = 9
            ;max-attempts = 10
            """
        let configuration = try RebuilderConfiguration.parse(text: text, path: "t.conf")
        #expect(configuration.spool.maxAttempts == 9)
    }

    @Test func commentsInsideAContinuedValueAreSkipped() throws {
        let text = "[debian]\ndist = a.all\n# not part of it\n  b.all\n"
        let configuration = try RebuilderConfiguration.parse(text: text, path: "t.conf")
        #expect(configuration.sections["debian"]?["dist"] == "a.all\nb.all")
    }

    @Test func thereAreNoInlineComments() {
        // As in configparser: the '#' belongs to the value, which then is no number.
        let error = parseError("[spool]\nmax-attempts = 5 # five\n", path: "t.conf")
        #expect(error?.description
            == "t.conf:2: bad value '5 # five' for 'max-attempts' in [spool]: expected a whole number from 1 to 1000")
    }

    @Test func colonSeparatesLikeEquals() throws {
        let text = "[common]\nsnapshot: http://snapshot.example:8080\nschedule_get=60\n"
        let common = try RebuilderConfiguration.parse(text: text, path: "t.conf").sections["common"]
        #expect(common == ["snapshot": "http://snapshot.example:8080", "schedule_get": "60"])
    }

    @Test func crlfLineEndsAndByteOrderMarkAreAccepted() throws {
        let text = "\u{FEFF}[spool]\r\nroot = /srv/spool\r\nwatch = no\r\n"
        let spool = try RebuilderConfiguration.parse(text: text, path: "t.conf").spool
        #expect(spool.root == "/srv/spool")
        #expect(spool.watch == false)
    }

    @Test func keysAreCaseSensitive() {
        let error = parseError("[spool]\nRoot = /srv\n", path: "t.conf")
        #expect(error?.description == "t.conf:2: unknown key 'Root' in [spool] (did you mean 'root'?)")
    }

    @Test func keyBeforeAnySection() {
        let error = parseError("# header\n\nroot = /srv\n[spool]\n", path: "/etc/rebuilder/rebuilder.conf")
        #expect(error == ConfigurationError(
            path: "/etc/rebuilder/rebuilder.conf", line: 3,
            message: "key 'root' appears before any [section] header"))
    }

    @Test func duplicateKey() {
        let error = parseError("[spool]\nroot = /a\nwatch = yes\nroot = /b\n", path: "t.conf")
        #expect(error?.description == "t.conf:4: duplicate key 'root' in [spool] (first set at line 2)")
    }

    @Test func duplicateSection() {
        let error = parseError("[spool]\nroot = /a\n\n[spool]\n", path: "t.conf")
        #expect(error?.description == "t.conf:4: duplicate section [spool] (first defined at line 1)")
    }

    @Test func sameKeyInDifferentSectionsIsFine() throws {
        let text = "[stage.build]\nconcurrency = 2\n[stage.attest]\nconcurrency = 3\n"
        let stages = try RebuilderConfiguration.parse(text: text, path: "t.conf").stages
        #expect(stages["build"]?.concurrency == 2)
        #expect(stages["attest"]?.concurrency == 3)
    }

    @Test(arguments: [
        ("[spool]\njust some words\n", 2, "malformed line 'just some words': expected '[section]', 'key = value' or a comment"),
        ("[spool]\n= value\n", 2, "malformed line '= value': expected '[section]', 'key = value' or a comment"),
        ("[spool\n", 1, "malformed section header '[spool': expected '[name]'"),
        ("[]\n", 1, "malformed section header '[]': expected '[name]'"),
        ("[a[b]\n", 1, "malformed section header '[a[b]': expected '[name]'"),
    ])
    func malformedLines(text: String, line: Int, message: String) {
        let error = parseError(text, path: "t.conf")
        #expect(error == ConfigurationError(path: "t.conf", line: line, message: message))
    }
}
