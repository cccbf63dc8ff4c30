import Foundation
import Testing

// Checks the unit files in the repository's systemd/ folder.
// The tests that need systemd-analyze are skipped when it is not on PATH. The others only parse
// the files.

/// The repository's systemd/ folder, found from this file: Tests/PipelineTests/<this file>.
private let unitsDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("systemd", isDirectory: true)

private let unitsStages = ["build", "attest", "report", "upload"]
private let unitsInboxes = ["new", "attesting", "reporting", "uploading"]
private let unitsDaemonBinary = "/usr/local/bin/rebuilder"

private let unitsSystemdAnalyze: String? = unitsFindExecutable("systemd-analyze")

/// Every unit that `systemd-analyze verify` checks, as instance names.
private let unitsToVerify: [String] =
    ["rebuilder.target", "rebuilder-results.service", "rebuilder-results.timer", "rebuilder-get.service", "rebuilder-get.timer",
     "rebuilder-logkeeper.service", "rebuilder-webhook.service", "rebuilder-commands.service",
     "rebuilder-notify.service"]
    + unitsStages.map { "rebuilder-stage@\($0).service" }
    + unitsStages.flatMap { ["rebuilder-drain@\($0).path", "rebuilder-drain@\($0).service"] }

private func unitsFindExecutable(_ name: String) -> String? {
    let searchPath = ProcessInfo.processInfo.environment["PATH"]
        ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    for directory in searchPath.split(separator: ":") where !directory.isEmpty {
        let candidate = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
    }
    return nil
}

private struct UnitsCommandResult {
    var status: Int32
    /// Standard output and standard error, interleaved.
    var output: String
}

private struct UnitsSetupError: Error, CustomStringConvertible {
    var description: String
}

/// Runs a command and collects its output. Colours, pager and locale are switched off, so the
/// output is plain ASCII where systemd offers a choice.
private func unitsRun(_ executable: String, _ arguments: [String]) throws -> UnitsCommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["LC_ALL"] = "C"
    environment["SYSTEMD_COLORS"] = "0"
    environment["SYSTEMD_PAGER"] = "cat"
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return UnitsCommandResult(status: process.terminationStatus,
                              output: String(decoding: data, as: UTF8.self))
}

/// Copies systemd/ into a new temporary directory. `ExecStart=` in the copies points at an
/// existing executable, because `systemd-analyze verify` rejects a missing binary.
private func unitsStagedCopy() throws -> URL {
    guard let standIn = unitsFindExecutable("true") else {
        throw UnitsSetupError(description: "no `true` executable on PATH to stand in for \(unitsDaemonBinary)")
    }
    let fileManager = FileManager.default
    let copy = fileManager.temporaryDirectory
        .appendingPathComponent("rebuilder-units-\(UUID().uuidString)", isDirectory: true)
    try fileManager.copyItem(at: unitsDirectory, to: copy)
    let prefix = "ExecStart=\(unitsDaemonBinary) "
    for name in try fileManager.contentsOfDirectory(atPath: copy.path) where name.hasSuffix(".service") {
        let file = copy.appendingPathComponent(name)
        let text = try String(contentsOf: file, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            line.hasPrefix(prefix) ? "ExecStart=\(standIn) " + line.dropFirst(prefix.count) : String(line)
        }
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
    }
    return copy
}

/// The number in "Overall exposure level for NAME: 1.1 OK :-)".
private func unitsOverallExposure(_ output: String) -> Double? {
    for line in output.split(separator: "\n") {
        guard let label = line.range(of: "Overall exposure level for ") else { continue }
        let rest = line[label.upperBound...]
        guard let colon = rest.range(of: ": "),
              let number = rest[colon.upperBound...].split(separator: " ").first
        else { continue }
        return Double(number)
    }
    return nil
}

private struct UnitsEntry: Equatable, CustomStringConvertible {
    var section: String
    var key: String
    var value: String
    var description: String { "[\(section)] \(key)=\(value)" }
}

/// The `Key=Value` lines of a unit file, in order, with their sections. No line continuations.
private func unitsParse(_ name: String) throws -> [UnitsEntry] {
    let text = try String(contentsOf: unitsDirectory.appendingPathComponent(name), encoding: .utf8)
    var section = ""
    var entries: [UnitsEntry] = []
    for rawLine in text.split(separator: "\n") {
        let line = rawLine.trimmingCharacters(in: .whitespaces)
        if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") {
            continue
        }
        if line.hasPrefix("[") && line.hasSuffix("]") {
            section = String(line.dropFirst().dropLast())
            continue
        }
        guard let equals = line.firstIndex(of: "=") else { continue }
        entries.append(UnitsEntry(
            section: section,
            key: line[..<equals].trimmingCharacters(in: .whitespaces),
            value: line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)))
    }
    return entries
}

@Suite("systemd units")
struct SystemdUnitsTests {
    @Test("systemd-analyze verify accepts every unit without a warning",
          .enabled(if: unitsSystemdAnalyze != nil, "systemd-analyze is not on PATH"))
    func verify() throws {
        let analyze = try #require(unitsSystemdAnalyze)
        let copy = try unitsStagedCopy()
        defer { try? FileManager.default.removeItem(at: copy) }

        let result = try unitsRun(analyze, ["verify"] + unitsToVerify.map { copy.appendingPathComponent($0).path })
        #expect(result.status == 0, "systemd-analyze verify exited with \(result.status):\n\(result.output)")
        let output = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(output.isEmpty, "systemd-analyze verify printed:\n\(output)")
    }

    @Test("systemd-analyze security rates every service at exposure 2.0 or below",
          .enabled(if: unitsSystemdAnalyze != nil, "systemd-analyze is not on PATH"),
          arguments: unitsToVerify.filter { $0.hasSuffix(".service") })
    func exposure(unit: String) throws {
        let analyze = try #require(unitsSystemdAnalyze)
        let copy = try unitsStagedCopy()
        defer { try? FileManager.default.removeItem(at: copy) }

        let result = try unitsRun(analyze, ["security", "--offline=yes", "--no-pager",
                                            copy.appendingPathComponent(unit).path])
        #expect(result.status == 0, "systemd-analyze security exited with \(result.status):\n\(result.output)")
        let exposure = try #require(unitsOverallExposure(result.output),
                                    "no overall exposure level in:\n\(result.output)")
        #expect(exposure <= 2.0, "exposure \(exposure) for \(unit):\n\(result.output)")
    }

    @Test("each drain path instance watches its stage's inbox", arguments: zip(unitsStages, unitsInboxes))
    func drainInbox(stage: String, inbox: String) throws {
        let entries = try unitsParse("rebuilder-drain@\(stage).path.d/inbox.conf")
        #expect(entries == [UnitsEntry(section: "Path", key: "DirectoryNotEmpty",
                                       value: "/var/spool/rebuilder/\(inbox)")])
    }

    @Test("rebuilder.target wants every stage daemon, the results timer and the get timer")
    func targetWantsStages() throws {
        let wanted = try unitsParse("rebuilder.target")
            .filter { $0.section == "Unit" && $0.key == "Wants" }
            .flatMap { $0.value.split(separator: " ").map(String.init) }
        #expect(wanted == ["rebuilder-logkeeper.service"] + unitsStages.map { "rebuilder-stage@\($0).service" }
                + ["rebuilder-results.timer", "rebuilder-get.timer"])
    }

    @Test("the services run the rebuilder command line")
    func commandLines() throws {
        let stage = try unitsParse("rebuilder-stage@.service").filter { $0.key == "ExecStart" }.map(\.value)
        #expect(stage == ["\(unitsDaemonBinary) stage %i --config /etc/rebuilder/rebuilder.conf"])
        let drain = try unitsParse("rebuilder-drain@.service").filter { $0.key == "ExecStart" }.map(\.value)
        #expect(drain == ["\(unitsDaemonBinary) stage %i --once --config /etc/rebuilder/rebuilder.conf"])
        let get = try unitsParse("rebuilder-get.service").filter { $0.key == "ExecStart" }.map(\.value)
        #expect(get == ["\(unitsDaemonBinary) get --scheduled --config /etc/rebuilder/rebuilder.conf"])
        let notify = try unitsParse("rebuilder-notify.service").filter { $0.key == "ExecStart" }.map(\.value)
        #expect(notify == ["\(unitsDaemonBinary) stage notify --config /etc/rebuilder/rebuilder.conf"])
    }

    @Test("the drain service has the same sandbox as the stage daemon")
    func sandboxInSync() throws {
        // [Service] settings that legitimately differ between a notify daemon and a oneshot run.
        let lifecycle: Set<String> = [
            "Type", "NotifyAccess", "ExecStart", "SyslogIdentifier", "WatchdogSec", "Restart",
            "RestartSec", "TimeoutStartSec", "TimeoutStopSec", "KillMode", "OOMPolicy",
        ]
        let sandbox = { (name: String) throws -> [UnitsEntry] in
            try unitsParse(name).filter { $0.section == "Service" && !lifecycle.contains($0.key) }
        }
        let stage = try sandbox("rebuilder-stage@.service")
        #expect(!stage.isEmpty)
        #expect(try sandbox("rebuilder-drain@.service") == stage)
    }

    /// InaccessiblePaths= in effect for an instance: the template's, then its drop-ins in name
    /// order, where an empty value clears the list (as systemd merges them).
    private func inaccessiblePaths(template: String, instance: String) throws -> [String] {
        var paths: [String] = []
        func apply(_ entries: [UnitsEntry]) {
            for entry in entries where entry.section == "Service" && entry.key == "InaccessiblePaths" {
                if entry.value.isEmpty { paths = [] } else { paths += entry.value.split(separator: " ").map(String.init) }
            }
        }
        apply(try unitsParse("\(template)@.service"))
        let dropIns = "\(template)@\(instance).service.d"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: unitsDirectory.appendingPathComponent(dropIns).path)) ?? []
        for name in names.sorted() where name.hasSuffix(".conf") { apply(try unitsParse("\(dropIns)/\(name)")) }
        return paths
    }

    @Test("the signing keyring is denied to every stage but attest by the templates themselves",
          arguments: ["rebuilder-stage", "rebuilder-drain"])
    func keyringDeniedByTheTemplate(template: String) throws {
        let keyring = "-/var/lib/rebuilder/gnupg"
        for stage in ["build", "report", "upload"] {
            #expect(try inaccessiblePaths(template: template, instance: stage).contains(keyring), "\(template)@\(stage)")
        }
        #expect(try !inaccessiblePaths(template: template, instance: "attest").contains(keyring))
    }

    /// `User=` of a service, its drop-ins applied in name order.
    private func user(of unit: String) throws -> String? {
        let template = unit.contains("@") ? unit.replacingOccurrences(of: #"@[a-z]+\."#, with: "@.", options: .regularExpression) : unit
        let instance = unit.split(separator: "@").dropFirst().first.map { String($0.prefix { $0 != "." }) }
        var user = try unitsParse(template).last { $0.section == "Service" && $0.key == "User" }?.value
        let dropIns = "\(unit).d"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: unitsDirectory.appendingPathComponent(dropIns).path)) ?? []
        for name in names.sorted() where name.hasSuffix(".conf") {
            if let set = try unitsParse("\(dropIns)/\(name)").last(where: { $0.section == "Service" && $0.key == "User" }) { user = set.value }
        }
        return user.map { value in instance.map { value.replacingOccurrences(of: "%i", with: $0) } ?? value }
    }

    @Test("every service runs as its own stage's user, which sysusers.d/rebuilder.conf makes")
    func eachServiceHasItsOwnUser() throws {
        var expected = [
            "rebuilder-get.service": "rebuilder-get", "rebuilder-logkeeper.service": "rebuilder-logkeeper",
            "rebuilder-results.service": "rebuilder-report",
            "rebuilder-webhook.service": "rebuilder-webhook", "rebuilder-commands.service": "rebuilder-commands",
            "rebuilder-notify.service": "rebuilder-notify",
        ]
        for stage in unitsStages {
            expected["rebuilder-stage@\(stage).service"] = "rebuilder-\(stage)"
            expected["rebuilder-drain@\(stage).service"] = "rebuilder-\(stage)"
        }
        for (unit, user) in expected { #expect(try self.user(of: unit) == user, "\(unit)") }
        let sysusers = try String(contentsOf: unitsDirectory.appendingPathComponent("sysusers.d/rebuilder.conf"), encoding: .utf8)
        let made = Set(sysusers.split(separator: "\n").filter { $0.hasPrefix("u ") }.map { String($0.split(separator: " ", omittingEmptySubsequences: true)[1]) })
        #expect(Set(expected.values).isSubset(of: made), "\(made)")
        #expect(made.contains("rebuilder-builder"))
    }

    @Test("the install steps in systemd/README.md install every unit file and drop-in")
    func installStepsInstallEverything() throws {
        let readme = try String(contentsOf: unitsDirectory.appendingPathComponent("README.md"), encoding: .utf8)
        let steps = readme.split(separator: "\n").map(String.init)
            .filter { ($0.hasPrefix("install -m 0644 systemd/") || $0.hasPrefix("cp -r systemd/")) && $0.hasSuffix(" /etc/systemd/system/") }
        #expect(steps.count >= 2, "\(steps)")
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("units-install-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: target) }
        let script = steps.map { $0.replacingOccurrences(of: "/etc/systemd/system/", with: target + "/") }.joined(separator: "\n")
        let result = try unitsRun("/bin/bash", ["-euc", "cd \(unitsDirectory.deletingLastPathComponent().path)\n\(script)"])
        #expect(result.status == 0, "\(result.output)")

        func files(under root: String) -> Set<String> {
            let enumerator = FileManager.default.enumerator(atPath: root)
            var found = Set<String>()
            while let name = enumerator?.nextObject() as? String {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: "\(root)/\(name)", isDirectory: &isDirectory), !isDirectory.boolValue { found.insert(name) }
            }
            return found
        }
        // sysusers.d/ and tmpfiles.d/ go to /etc/sysusers.d and /etc/tmpfiles.d, not among the units.
        let shipped = files(under: unitsDirectory.path).subtracting(["README.md", "sysusers.d/rebuilder.conf", "tmpfiles.d/rebuilder.conf"])
        #expect(files(under: target) == shipped)
    }
}
