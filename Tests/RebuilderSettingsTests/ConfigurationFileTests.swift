import Foundation
import Testing
@testable import RebuilderSettings

@Suite struct ConfigurationFileTests {
    @Test func loadsAFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("rebuilder.conf")
        try Data("[spool]\nroot = /srv/spool\n\n[stage.build]\ncommand = /bin/build\n".utf8).write(to: file)

        let configuration = try RebuilderConfiguration.load(path: file.path)
        #expect(configuration.spool.root == "/srv/spool")
        #expect(configuration.stages["build"]?.command == ["/bin/build"])
    }

    @Test func errorsNameTheLoadedFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("rebuilder.conf")
        try Data("[spool]\nwatch = sometimes\n".utf8).write(to: file)

        #expect(throws: ConfigurationError(
            path: file.path, line: 2,
            message: "bad value 'sometimes' for 'watch' in [spool]: expected true/false, yes/no, on/off or 1/0")
        ) {
            try RebuilderConfiguration.load(path: file.path)
        }
    }

    @Test func rejectsAFileThatIsNotUTF8() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("latin1.conf")
        // "[common]\n# Frédéric\n" in ISO-8859-1: 0xE9 alone is not UTF-8.
        let latin1: [UInt8] = Array("[common]\n# Fr".utf8) + [0xE9] + Array("d".utf8) + [0xE9] + Array("ric\n".utf8)
        try Data(latin1).write(to: file)

        let error = #expect(throws: ConfigurationError.self) {
            try RebuilderConfiguration.load(path: file.path)
        }
        #expect(error?.description == "\(file.path):2: the file is not valid UTF-8 text; save it as UTF-8")
    }

    @Test(arguments: [
        [0xC0, 0xAF],              // overlong encoding of "/"
        [0xED, 0xA0, 0x80],        // UTF-16 surrogate
        [0xE2, 0x82],              // truncated sequence
    ] as [[UInt8]])
    func rejectsInvalidSequences(bytes: [UInt8]) {
        #expect(throws: ConfigurationError(path: "x.conf", line: 1, message: "the file is not valid UTF-8 text; save it as UTF-8")) {
            try ConfigurationFile.decodeUTF8(bytes, path: "x.conf")
        }
    }

    @Test func acceptsMultibyteUTF8() throws {
        let text = try ConfigurationFile.decodeUTF8(Array("# Frédéric Pierret ✓\n".utf8), path: "x.conf")
        #expect(text == "# Frédéric Pierret ✓\n")
    }

    @Test func missingFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("absent.conf").path

        #expect(throws: ConfigurationError(path: path, line: nil, message: "cannot open: No such file or directory")) {
            try RebuilderConfiguration.load(path: path)
        }
    }

    @Test func directoryIsNotAFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        let error = #expect(throws: ConfigurationError.self) {
            try RebuilderConfiguration.load(path: directory.path)
        }
        #expect(error?.description == "\(directory.path): cannot read: Is a directory")
    }

    @Test func shippedDefaultConfigurationLoads() throws {
        let path = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()   // RebuilderSettingsTests
            .deletingLastPathComponent()   // Tests
            .deletingLastPathComponent()   // package root
            .appendingPathComponent("etc/rebuilder.conf").path

        let configuration = try RebuilderConfiguration.load(path: path)
        // The file spells out the defaults; if either side changes alone, this fails.
        #expect(configuration.spool == SpoolSettings())
        #expect(configuration.stages == RebuilderConfiguration().stages)
        #expect(configuration.notify == NotifySettings())
        #expect(configuration.notices == [])
        #expect(configuration.sections.keys.sorted() == ["common", "debian"])
        #expect(configuration.sections["common"]?["schedule_get"] == "1800")
        #expect(configuration.specs(of: "debian") == [
            "bookworm+essential+required+build-essential.amd64",
            "bookworm+essential+required+build-essential.all",
        ])
    }

    @Test func shippedStageExamplesParse() throws {
        // The commented-out example commands must be valid once uncommented.
        let path = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("etc/rebuilder.conf").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "# command = ", with: "command = ")
            .replacingOccurrences(of: "# timeout = ", with: "timeout = ")
        let configuration = try RebuilderConfiguration.parse(text: text, path: path)
        #expect(configuration.stages["build"]?.command == ["/usr/local/libexec/rebuilder/build-task"])
        #expect(configuration.stages["build"]?.timeoutSeconds == 21600)
        #expect(configuration.stages.values.compactMap(\.command).allSatisfy { $0.count == 1 })
        // The attest, report and upload stages do their own work unless a site gives a command.
        #expect(["attest", "report", "upload"].allSatisfy { configuration.stages[$0]?.command == nil })
    }

    @Test func shippedRebuildExamplesParse() throws {
        // Every commented-out [stage.build] example must be valid once uncommented.
        let path = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("etc/rebuilder.conf").path
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        let section = try #require(lines.firstIndex(of: "[stage.build]"))
        var index = section + 1
        while index < lines.count && !lines[index].hasPrefix("[") {
            if lines[index].range(of: #"^# [a-z-]+ = "#, options: .regularExpression) != nil { lines[index].removeFirst(2) }
            index += 1
        }
        let configuration = try RebuilderConfiguration.parse(text: lines.joined(separator: "\n"), path: path)
        let rebuild = try #require(configuration.stages["build"]?.rebuild)
        #expect(rebuild.backend == .snapshot)
        #expect(rebuild.cache == "/var/cache/rebuilder" && rebuild.cacheBytes == 20 << 30 && rebuild.environmentSuite == "bookworm")
        #expect(rebuild.buildDiskBytes == 16 << 30 && rebuild.buildMemoryBytes == 16 << 30 && rebuild.buildProcesses == 4096)
        #expect(rebuild.pool == "/srv/rebuilder/pool")
        #expect(rebuild.remote == "rebuilder@builder1.example.org")
        #expect(rebuild.buildinfoKeyring == "/etc/rebuilder/keyrings/debian-buildd")
        #expect(configuration.stages["build"]?.logLimitBytes == 64 << 20)
    }

    @Test func shippedNotifyExamplesParse() throws {
        // Every commented-out [notify] example must be valid once uncommented, and the defaults it shows true.
        let path = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("etc/rebuilder.conf").path
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        var index = try #require(lines.firstIndex(of: "[notify]")) + 1
        while index < lines.count && !lines[index].hasPrefix("[") {
            if lines[index].range(of: #"^# [a-z-]+ = "#, options: .regularExpression) != nil { lines[index].removeFirst(2) }
            index += 1
        }
        let notify = try RebuilderConfiguration.parse(text: lines.joined(separator: "\n"), path: path).notify
        var expected = NotifySettings()
        expected.urls = ["https://hooks.example.org/rebuilder", "https://chat.example.org/hooks/abc"]
        expected.command = ["/usr/local/libexec/rebuilder/notify"]
        expected.linksBase = "https://rebuilder.example.org/"
        #expect(notify == expected)
    }
}
