import Foundation
import Glibc
import LogKeeping
import Spool

/// What the log-keeper run found: one big stream, then many at once, every line counted in the
/// committed logs, and the keeper's memory.
struct LogKeeperLoadResult: Codable, Sendable {
    var bigStreamMegabytes: Double
    var bigStreamLines: Int
    var bigStreamKeptLines: Int
    /// From the first byte sent to the end frame.
    var bigStreamSeconds: Double
    /// From the end frame to the receipt (compression, signed commit, receipt).
    var bigStreamCommitSeconds: Double
    var bigStreamCompressed: Bool
    var concurrentStreams: Int
    var concurrentLinesEach: Int
    /// Streams whose committed log has every line, in order.
    var concurrentStreamsWhole: Int
    var concurrentSeconds: Double
    /// The keeper's resident memory after the first tenth of the big stream, at its end, and its peak over the run.
    var residentEarlyKiB: Int
    var residentEndKiB: Int
    var peakResidentKiB: Int
}

enum LogKeeperLoad {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func measure(directory: String, rebuilder: String, megabytes: Int, streams: Int, linesEach: Int) throws -> LogKeeperLoadResult {
        let key = try SigningHome.make(keyType: "ed25519")
        defer { key.remove() }
        let socket = "\(directory)/keeper.sock"
        let config = "\(directory)/rebuilder.conf"
        try """
        [logkeeper]
        socket = \(socket)
        directory = \(directory)/logs
        gnupg-home = \(key.path)
        signing-key = \(key.fingerprint)
        keyring = \(key.path)

        """.write(toFile: config, atomically: true, encoding: .utf8)
        let keeper = Process()
        keeper.executableURL = URL(fileURLWithPath: rebuilder)
        keeper.arguments = ["stage", "logkeeper", "--config", config]
        keeper.standardOutput = FileHandle.nullDevice
        FileManager.default.createFile(atPath: "\(directory)/keeper.log", contents: nil)
        keeper.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(directory)/keeper.log"))
        try keeper.run()
        defer {
            kill(keeper.processIdentifier, SIGTERM)
            keeper.waitUntilExit()
        }
        guard wait(seconds: 30, until: { access(socket, F_OK) == 0 }) else { throw Failure(description: "the log keeper did not listen: \(keeperLog(directory))") }
        var peak = 0
        func sampleMemory() -> Int {
            let memory = ProcessStatus.memory(of: keeper.processIdentifier)
            peak = max(peak, memory?.peakKiB ?? 0)
            return memory?.residentKiB ?? 0
        }

        // One stream of `megabytes` MB: lines of 100 bytes, numbered.
        let lineBytes = 100
        let lines = megabytes * 1_000_000 / lineBytes
        let big = try LogSender(socket: socket, header: header("big_1.0-1_amd64.buildinfo"))
        var chunk: [UInt8] = []
        chunk.reserveCapacity(1 << 16)
        var residentEarly = 0
        let started = Clock.monotonic()
        for number in 1...lines {
            let text = "line \(number) "
            chunk += Array(text.utf8) + [UInt8](repeating: 0x78, count: lineBytes - 1 - text.utf8.count) + [0x0A]
            if chunk.count >= 60_000 || number == lines {
                chunk.withUnsafeBytes { big.send($0) }
                chunk.removeAll(keepingCapacity: true)
            }
            if number == lines / 10 { residentEarly = sampleMemory() }
        }
        big.end("exited(0)")
        let sent = Clock.monotonic()
        if let broken = big.broken { throw Failure(description: "the big stream broke: \(broken)") }
        let bigReceipt = "\(directory)/logs/receipts/big_1.0-1_amd64.buildinfo/1.receipt"
        guard wait(seconds: 600, until: { FileManager.default.fileExists(atPath: bigReceipt) }) else {
            throw Failure(description: "no receipt for the big stream: \(keeperLog(directory))")
        }
        let kept = Clock.monotonic()
        let residentEnd = sampleMemory()
        let bigLog = try receiptLog(bigReceipt, directory: directory)
        let bigKept = try countLines(bigLog) { line, index in line.contains(" | line \(index + 1) x") }

        // `streams` streams at once.
        let concurrentStarted = Clock.monotonic()
        DispatchQueue.concurrentPerform(iterations: streams) { stream in
            guard let sender = try? LogSender(socket: socket, header: header("load\(stream)_1.0-1_amd64.buildinfo")) else { return }
            var text: [UInt8] = []
            for number in 1...linesEach {
                text += Array("stream \(stream) line \(number)\n".utf8)
                if text.count >= 8192 || number == linesEach {
                    text.withUnsafeBytes { sender.send($0) }
                    text.removeAll(keepingCapacity: true)
                }
            }
            sender.end("exited(0)")
        }
        let receipts = (0..<streams).map { "\(directory)/logs/receipts/load\($0)_1.0-1_amd64.buildinfo/1.receipt" }
        guard wait(seconds: 600, until: { receipts.allSatisfy { FileManager.default.fileExists(atPath: $0) } }) else {
            throw Failure(description: "not every concurrent stream got its receipt: \(keeperLog(directory))")
        }
        let concurrentSeconds = Clock.monotonic() - concurrentStarted
        _ = sampleMemory()
        var whole = 0
        for (stream, receipt) in receipts.enumerated() {
            let log = try receiptLog(receipt, directory: directory)
            if try countLines(log, { line, index in line.hasSuffix(" | stream \(stream) line \(index + 1)") }) == linesEach { whole += 1 }
        }
        return LogKeeperLoadResult(
            bigStreamMegabytes: Double(lines * lineBytes) / 1e6, bigStreamLines: lines, bigStreamKeptLines: bigKept,
            bigStreamSeconds: sent - started, bigStreamCommitSeconds: kept - sent, bigStreamCompressed: bigLog.hasSuffix(".xz"),
            concurrentStreams: streams, concurrentLinesEach: linesEach, concurrentStreamsWhole: whole, concurrentSeconds: concurrentSeconds,
            residentEarlyKiB: residentEarly, residentEndKiB: residentEnd, peakResidentKiB: peak)
    }

    private static func header(_ task: String) -> LogStreamHeader {
        LogStreamHeader(task: TaskID(task)!, attempt: 1, project: try! ProjectPath("debian"))
    }

    /// The committed log a receipt names.
    private static func receiptLog(_ receipt: String, directory: String) throws -> String {
        let text = try String(contentsOfFile: receipt, encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Log: ") }) else { throw Failure(description: "\(receipt) names no log") }
        return "\(directory)/logs/repository/\(line.dropFirst("Log: ".count))"
    }

    /// The sender's lines of a log (xz-compressed or not) that pass `matches` in order, read as a
    /// stream; stops counting at the first one out of place.
    private static func countLines(_ path: String, _ matches: (Substring, Int) -> Bool) throws -> Int {
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: path.hasSuffix(".xz") ? "/usr/bin/xz" : "/bin/cat")
        reader.arguments = path.hasSuffix(".xz") ? ["-dc", path] : [path]
        let output = Pipe()
        reader.standardOutput = output
        try reader.run()
        var count = 0
        var inOrder = true
        var pending = Data()
        let handle = output.fileHandleForReading
        while true {
            let data = handle.readData(ofLength: 1 << 20)
            if data.isEmpty { break }
            pending.append(data)
            guard let last = pending.lastIndex(of: 0x0A) else { continue }
            let complete = String(decoding: pending[pending.startIndex...last], as: UTF8.self)
            pending = Data(pending[pending.index(after: last)...])
            for line in complete.split(separator: "\n") where line.contains(" | ") && inOrder {
                if matches(line, count) { count += 1 } else { inOrder = false }
            }
        }
        reader.waitUntilExit()
        return count
    }

    private static func wait(seconds: Double, until condition: () -> Bool) -> Bool {
        let deadline = Clock.monotonic() + seconds
        while Clock.monotonic() < deadline {
            if condition() { return true }
            Clock.sleep(0.05)
        }
        return condition()
    }

    private static func keeperLog(_ directory: String) -> String {
        ((try? String(contentsOfFile: "\(directory)/keeper.log", encoding: .utf8)) ?? "").split(separator: "\n").suffix(5).joined(separator: " | ")
    }
}
