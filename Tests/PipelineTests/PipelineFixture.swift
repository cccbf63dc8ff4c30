import Foundation
import Glibc
import Spool

/// A spool, a configuration and stage daemons run from the real `rebuilder` binary, stopped by PID.
final class PipelineFixture {
    let base: String
    let spoolRoot: String
    let configPath: String
    let ledger: String
    private(set) var daemons: [String: [Process]] = [:]
    private var logHandles: [FileHandle] = []
    /// What the daemons need for as long as they run (a lock), released after they stopped.
    private var held: [AnyObject] = []

    static var binary: String {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [directory.appendingPathComponent("rebuilder").path,
                          directory.deletingLastPathComponent().appendingPathComponent("rebuilder").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// `command`: the shell script body every stage runs (gets the task path and work directory).
    /// `stageSettings`: more lines for a stage's section, by stage name. `builtInStages` run their
    /// own work instead of the command; `sections`: more configuration text (e.g. [publish]).
    init(command: String = "echo \"$REBUILDER_STAGE $REBUILDER_TASK_ID\" >> \"$LEDGER\"", spoolSettings: String = "",
         stageSettings: [String: String] = [:], builtInStages: Set<String> = [], sections: String = "") throws {
        base = "/var/tmp/pipeline-\(UUID().uuidString.prefix(8))"
        spoolRoot = base + "/spool"
        configPath = base + "/rebuilder.conf"
        ledger = base + "/ledger"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let script = base + "/stage-command"
        try "#!/bin/sh\nLEDGER='\(ledger)'\n\(command)\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let stages = StageRoute.all.map {
            "[stage.\($0.stage)]\n\(builtInStages.contains($0.stage.name) ? "" : "command = \(script)\n")\(stageSettings[$0.stage.name] ?? "")\n"
        }.joined(separator: "\n")
        try "[spool]\nroot = \(spoolRoot)\n\(spoolSettings)\n\(stages)\n\(sections)".write(toFile: configPath, atomically: true, encoding: .utf8)
        try run(["init"])
    }

    deinit {
        stopAll()
        try? FileManager.default.removeItem(atPath: base)
    }

    var spool: Spool { Spool(root: spoolRoot) }

    /// Keeps `resource` until the fixture is gone, its daemons stopped.
    func hold(_ resource: AnyObject) { held.append(resource) }

    /// Runs a rebuilder command to completion; returns its standard output.
    @discardableResult
    func run(_ arguments: [String], expectStatus: Int32 = 0, withConfig: Bool = true) throws -> String {
        let result = try runCapturing(arguments, withConfig: withConfig)
        guard result.status == expectStatus else {
            throw FixtureError("rebuilder \(arguments.joined(separator: " ")) exited \(result.status): \(result.errors.suffix(2000))")
        }
        return result.output
    }

    /// Runs a rebuilder command to completion, whatever its exit status; returns both outputs.
    func runCapturing(_ arguments: [String], withConfig: Bool = true) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PipelineFixture.binary)
        process.arguments = arguments + (withConfig ? ["--config", configPath] : [])
        // stderr goes to a file: a second pipe could fill up while stdout is being read.
        let errorsPath = "\(base)/stderr-\(UUID().uuidString.prefix(8))"
        _ = FileManager.default.createFile(atPath: errorsPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorsPath) }
        let errorsHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errorsPath))
        defer { try? errorsHandle.close() }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errorsHandle
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), errors)
    }

    /// Starts `rebuilder stage NAME`; its stderr goes to base/NAME-N.log.
    @discardableResult
    func startStage(_ name: String, _ extra: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PipelineFixture.binary)
        process.arguments = ["stage", name, "--config", configPath] + extra
        let logPath = "\(base)/\(name)-\(daemons[name, default: []].count).log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        logHandles.append(log)
        process.standardError = log
        process.standardOutput = log
        try process.run()
        daemons[name, default: []].append(process)
        return process
    }

    func startAllStages(_ extra: [String] = []) throws {
        for route in StageRoute.all { try startStage(route.stage.name, extra) }
    }

    func kill9(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stopAll() {
        for process in daemons.values.flatMap({ $0 }) where process.isRunning {
            kill(process.processIdentifier, SIGTERM)
        }
        let deadline = Date().addingTimeInterval(10)
        for process in daemons.values.flatMap({ $0 }) {
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        daemons = [:]
    }

    /// Writes `count` small task files and submits them in batches; returns their ids.
    func submitTasks(_ count: Int, prefix: String = "pkg") throws -> [String] {
        let source = base + "/incoming"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        var ids: [String] = []
        for index in 0..<count {
            let id = "\(prefix)\(index)_1.0-1_amd64.buildinfo"
            try "Source: \(prefix)\(index)\nVersion: 1.0-1\nArchitecture: amd64\n".write(toFile: "\(source)/\(id)", atomically: false, encoding: .utf8)
            ids.append(id)
        }
        for batch in stride(from: 0, to: ids.count, by: 2000) {
            let files = ids[batch..<min(batch + 2000, ids.count)].map { "\(source)/\($0)" }
            let printed = try run(["submit"] + files)
            guard printed.split(separator: "\n").count == files.count else { throw FixtureError("submit printed \(printed)") }
        }
        return ids
    }

    /// Names in a spool directory, dot files excluded.
    func entries(_ directory: SpoolDirectory) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool.path(directory))) ?? []).filter { !$0.hasPrefix(".") }
    }

    /// Submits files as they are; returns the ids `submit` printed.
    func submit(_ files: [String]) throws -> [String] {
        try run(["submit"] + files).split(separator: "\n").map(String.init)
    }

    /// Polls until `condition` holds or `seconds` pass; returns whether it held.
    func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition()
    }

    func ledgerLines() -> [String] {
        ((try? String(contentsOfFile: ledger, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func daemonLogs() -> String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        return names.filter { $0.hasSuffix(".log") }.sorted()
            .map { "== \($0)\n" + ((try? String(contentsOfFile: "\(base)/\($0)", encoding: .utf8)) ?? "") }
            .joined(separator: "\n")
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
