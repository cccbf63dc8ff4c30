import Testing
@testable import RebuilderSettings

/// The sections and keys of the original PackageRebuilder (fepitre/package-rebuilder).
@Suite struct OriginalSectionsTests {
    /// The original's own rebuilder.conf, keys and layout as it has them.
    static let originalStyle = """
        #
        # Specific 'celery' options. Don't modify unless you know what you are doing.
        #
        [celery]
        broker = redis://broker:6379/0
        backend = mongodb://backend:27017

        [common]
        schedule_get = 1800
        schedule_generate_results = 300
        in-toto-sign-key-fpr = 1111111111111111111111111111111111111111
        in-toto-sign-key-unreproducible-fpr = 2222222222222222222222222222222222222222
        repo-ssh-key = id_rsa
        repo-remote-ssh-host = rebuilder@mirror.example
        repo-remote-ssh-basedir = /data/rebuilder
        snapshot = http://snapshot.example

        [debian]
        dist = bullseye+essential+required.amd64
            bullseye+essential+required.all

        [qubesos]
        dist = qubes-4.1-vm-bullseye.all qubes-4.1-vm-bullseye.amd64
        repo-remote-ssh-basedir = /data/qubes

        [fedora]
        schedule_get = 600
        """

    @Test func everyOriginalKeyIsKeptAsRead() throws {
        let configuration = try RebuilderConfiguration.parse(text: Self.originalStyle, path: "rebuilder.conf")
        #expect(configuration.sections.keys.sorted() == ["common", "debian", "fedora", "qubesos"])
        #expect(configuration.sections["common"] == [
            "schedule_get": "1800",
            "schedule_generate_results": "300",
            "in-toto-sign-key-fpr": "1111111111111111111111111111111111111111",
            "in-toto-sign-key-unreproducible-fpr": "2222222222222222222222222222222222222222",
            "repo-ssh-key": "id_rsa",
            "repo-remote-ssh-host": "rebuilder@mirror.example",
            "repo-remote-ssh-basedir": "/data/rebuilder",
            "snapshot": "http://snapshot.example",
        ])
        #expect(configuration.sections["debian"] == ["dist": "bullseye+essential+required.amd64\nbullseye+essential+required.all"])
        #expect(configuration.sections["fedora"] == ["schedule_get": "600"])
    }

    @Test func celerySectionIsIgnoredWithANotice() throws {
        let configuration = try RebuilderConfiguration.parse(text: Self.originalStyle, path: "rebuilder.conf")
        #expect(configuration.notices == ["rebuilder.conf:4: section [celery] is ignored: this rebuilder needs no broker"])
        #expect(configuration.sections["celery"] == nil)
    }

    @Test func celeryAcceptsAnyKey() throws {
        let configuration = try RebuilderConfiguration.parse(text: "[celery]\nwhatever = 1\nmax_retries = 2\n", path: "c.conf")
        #expect(configuration.notices == ["c.conf:1: section [celery] is ignored: this rebuilder needs no broker"])
    }

    @Test func distributionsInheritCommonExceptDist() throws {
        let configuration = try RebuilderConfiguration.parse(text: Self.originalStyle, path: "rebuilder.conf")
        let qubes = configuration.distributionSettings(for: "qubesos")
        #expect(qubes?["repo-remote-ssh-basedir"] == "/data/qubes")        // its own value wins
        #expect(qubes?["repo-remote-ssh-host"] == "rebuilder@mirror.example")  // from [common]
        #expect(qubes?["schedule_get"] == "1800")
        #expect(configuration.distributionSettings(for: "fedora")?["schedule_get"] == "600")
        #expect(configuration.specs(of: "qubesos") == ["qubes-4.1-vm-bullseye.all", "qubes-4.1-vm-bullseye.amd64"])
        #expect(configuration.specs(of: "fedora") == [])
    }

    @Test func absentDistributionHasNoSettings() throws {
        let configuration = try RebuilderConfiguration.parse(text: "[common]\nsnapshot = http://s\n", path: "t.conf")
        #expect(configuration.distributionSettings(for: "debian") == nil)
        #expect(configuration.specs(of: "debian") == [])
    }

    @Test func distInCommonIsNotInheritedAndSaysSo() throws {
        let configuration = try RebuilderConfiguration.parse(text: "[common]\ndist = sid.amd64\n[debian]\n", path: "t.conf")
        #expect(configuration.distributionSettings(for: "debian") == [:])
        #expect(configuration.notices == [
            "t.conf:2: 'dist' in [common] is not inherited by the distribution sections (nor was it in the original "
                + "PackageRebuilder); set it in [debian], [qubesos], [fedora]",
        ])
    }

    @Test func unknownKeyInAnOriginalSection() {
        let error = parseError("[debian]\ndist = sid.amd64\nbuilder = sbuild\n", path: "t.conf")
        #expect(error?.description == "t.conf:3: unknown key 'builder' in [debian]")
    }

    @Test func originalKeyMisspelledWithADashGetsASuggestion() {
        let error = parseError("[common]\nschedule-get = 60\n", path: "t.conf")
        #expect(error?.description == "t.conf:2: unknown key 'schedule-get' in [common] (did you mean 'schedule_get'?)")
    }

    @Test func schedulesMustBeWholeSeconds() {
        let error = parseError("[qubesos]\nschedule_generate_results = 5.5\n", path: "t.conf")
        #expect(error?.description
            == "t.conf:2: bad value '5.5' for 'schedule_generate_results' in [qubesos]: expected a whole number from 1 to 31536000")
    }

    @Test func unknownSection() {
        let error = parseError("[spool]\n[mirror]\nhost = x\n", path: "t.conf")
        #expect(error?.description == "t.conf:2: unknown section [mirror]; expected [spool], [publish], [logkeeper], [webhook], [commands], [notify], [stage.get], [stage.build], "
            + "[stage.attest], [stage.report], [stage.upload], [common], [debian], [qubesos], [fedora], [celery]")
    }

    @Test func misspelledSectionGetsASuggestion() {
        let error = parseError("[debain]\n", path: "t.conf")
        #expect(error?.description == "t.conf:1: unknown section [debain]; expected [spool], [publish], [logkeeper], [webhook], [commands], [notify], [stage.get], [stage.build], "
            + "[stage.attest], [stage.report], [stage.upload], [common], [debian], [qubesos], [fedora], [celery] (did you mean [debian]?)")
    }
}
