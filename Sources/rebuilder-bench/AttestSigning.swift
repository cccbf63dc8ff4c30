import FileSystem
import Foundation
import Rebuild
import Spool
import Synchronization

/// One signing command's rate: `runs` signatures one after another, then `runs` again `parallel`
/// at a time.
struct SigningRate: Codable, Sendable {
    var runs: Int
    var parallel: Int
    var sequentialSeconds: Double
    var sequentialPerSecond: Double
    var parallelSeconds: Double
    var parallelPerSecond: Double
}

struct AttestSigningResult: Codable, Sendable {
    var tasks: Int
    var concurrency: Int
    var keyType: String
    /// `rebuilder stage attest --once` from process start to exit.
    var attestSeconds: Double
    var attestationsPerSecond: Double
    /// `in-toto-run --gpg` making one rebuild link; nil when it could not run (see the note).
    var intotoRun: SigningRate?
    var intotoRunUnavailable: String?
    /// `gpg --detach-sign` of a link's canonical bytes: the limit of signing through GnuPG.
    var gpgDetachSign: SigningRate
    var signedBytes: Int
    /// Attestations/s over in-toto-run's links/s, `concurrency` at a time and one at a time.
    var overIntotoParallel: Double?
    var overIntotoSequential: Double?
    /// Attestations/s over gpg --detach-sign's signatures/s `concurrency` at a time.
    var shareOfGPGParallel: Double
}

/// Attestation signing: the real attest stage (`--once`) on a spool whose attesting/ holds
/// `tasks` built tasks, one .deb each, reproducible, signed with a throwaway key (ed25519 or rsa3072); beside
/// it `in-toto-run --gpg` making the same link and plain `gpg --detach-sign`, with the same key,
/// one at a time and `concurrency` at a time.
enum AttestSigning {
    static let intotoRun = "/usr/bin/in-toto-run"

    static func measure(directory: String, rebuilder: String, tasks: Int, concurrency: Int, keyType: String,
                        intotoRuns: Int, gpgSignatures: Int) throws -> AttestSigningResult {
        let home = try SigningHome.make(keyType: keyType)
        defer { home.remove() }
        Progress.note("attestation signing: \(keyType) key \(home.fingerprint) in \(home.path); \(tasks) tasks into attesting/")

        let spool = Spool(root: "\(directory)/spool")
        try spool.create()
        for index in 0..<tasks { try writeBuiltTask(index, spool: spool) }
        let configuration = "\(directory)/rebuilder.conf"
        try write(Array("""
            [spool]
            root = \(spool.root)
            fsync = true
            [publish]
            root = \(directory)/published
            gnupg-home = \(home.path)
            [debian]
            in-toto-sign-key-fpr = \(home.fingerprint)

            """.utf8), to: configuration)

        // The attest stage, timed from process start to exit.
        let began = Clock.monotonic()
        let daemon = try DaemonProcess.start(stage: .attest, executable: rebuilder, arguments: [
            "stage", Stage.attest.name, "--config", configuration, "--once", "--no-watch", "--concurrency", String(concurrency)])
        defer { daemon.stop() }
        let deadline = began + max(120, Double(tasks))
        while daemon.isRunning {
            try Interrupted.check()
            guard Clock.monotonic() < deadline else {
                throw DaemonError(description: "stage attest --once still running after \(Int(deadline - began)) s:\n  "
                                  + daemon.log.lastLines.joined(separator: "\n  "))
            }
            Clock.sleep(0.001)
        }
        let attestSeconds = Clock.monotonic() - began
        let reported = DirectoryCount.tasks(in: spool.path(.reporting))
        let attested = (0..<tasks).filter { PipelineHistory(spool: spool, id: taskID($0)).time(.attest, "attested") != nil }.count
        guard reported == tasks && attested == tasks else {
            Clock.sleep(0.05)
            throw DaemonError(description: "stage attest \(daemon.termination ?? "running"): \(reported) of \(tasks) tasks in reporting/, "
                              + "\(attested) attested, \(DirectoryCount.tasks(in: spool.path(.attesting))) left in attesting/, "
                              + "\(DirectoryCount.tasks(in: spool.path(.failed))) in failed/:\n  " + daemon.log.lastLines.joined(separator: "\n  "))
        }
        let attestRate = Double(tasks) / attestSeconds
        Progress.note("attestation signing: stage attest \(tasks) tasks in \(String(format: "%.2f", attestSeconds)) s (\(Int(attestRate))/s)")

        // in-toto-run --gpg: one directory per parallel slot, each with the one product, so that
        // runs at the same time never write the same link file.
        let artifact = "bench_1.0-1_amd64.deb"
        let slots = try (0..<concurrency).map { slot in
            let path = "\(directory)/in-toto-\(slot)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            try write(Array("not really a Debian package, \(artifact)\n".utf8), to: "\(path)/\(artifact)")
            return path
        }
        var intoto: SigningRate?
        var intotoUnavailable: String?
        if access(intotoRun, X_OK) != 0 {
            intotoUnavailable = "\(intotoRun) not installed"
        } else {
            Progress.note("attestation signing: in-toto-run --gpg \(intotoRuns) times, one at a time then \(concurrency) at a time")
            do {
                intoto = try rate(runs: intotoRuns, parallel: concurrency) { slot, _ in
                    try Tool.run(intotoRun, ["-n", "rebuild", "-p", artifact, "-x", "--gpg", home.fingerprint, "--gpg-home", home.path],
                                 in: slots[slot])
                }
            } catch let error as Interrupted {
                throw error
            } catch {
                intotoUnavailable = "in-toto-run failed: \(error)"
                Progress.note("attestation signing: \(intotoUnavailable!)")
            }
        }

        // gpg --detach-sign of the bytes the stage signs: a rebuild link's canonical JSON, one product.
        let digest = try FileDigest.of(path: "\(slots[0])/\(artifact)")?.sha256 ?? String(repeating: "0", count: 64)
        let link = Array(#"{"_type":"link","byproducts":{},"command":[],"environment":{},"materials":{},"name":"rebuild","products":{"\#(artifact)":{"sha256":"\#(digest)"}}}"#.utf8)
        let signedPath = "\(directory)/link.canonical"
        try write(link, to: signedPath)
        Progress.note("attestation signing: gpg --detach-sign \(gpgSignatures) times, one at a time then \(concurrency) at a time")
        let gpg = try rate(runs: gpgSignatures, parallel: concurrency) { _, run in
            try Tool.run("/usr/bin/gpg", ["--homedir", home.path, "--batch", "--yes", "--detach-sign", "--digest-algo", "SHA256",
                                          "--local-user", home.fingerprint, "-o", "\(directory)/link-\(run).sig", signedPath])
        }

        return AttestSigningResult(
            tasks: tasks, concurrency: concurrency, keyType: keyType, attestSeconds: attestSeconds,
            attestationsPerSecond: attestRate, intotoRun: intoto, intotoRunUnavailable: intotoUnavailable,
            gpgDetachSign: gpg, signedBytes: link.count,
            overIntotoParallel: intoto.map { attestRate / $0.parallelPerSecond },
            overIntotoSequential: intoto.map { attestRate / $0.sequentialPerSecond },
            shareOfGPGParallel: attestRate / gpg.parallelPerSecond)
    }

    private static func taskID(_ index: Int) -> TaskID { TaskID("bench-\(index)_1.0-1_amd64.buildinfo")! }

    /// A task as the build stage leaves it: its buildinfo in attesting/ and a reproducible
    /// `records/<ID>/build/result.json` for its one .deb.
    private static func writeBuiltTask(_ index: Int, spool: Spool) throws {
        let id = taskID(index)
        let source = "bench-\(index)"
        let deb = "\(source)_1.0-1_amd64.deb"
        let (sha256, size) = TaskContent.artifact(index: index)
        // Small: the links signed do not depend on the buildinfo's length.
        try write(TaskContent.buildinfo(for: id, index: index, size: 400), to: spool.path(.attesting, id.rawValue))
        let record = RebuildRecord(
            task: id.rawValue, source: source, version: "1.0-1", verdict: .reproducible, backend: "bench", attempt: 1,
            started: Timestamp.format(Clock.wall()), durationSeconds: 0, backendExit: "exit 0", logTruncated: false,
            artifacts: [ArtifactResult(name: deb, expectedSHA256: sha256, expectedSize: size, rebuiltSHA256: sha256, rebuiltSize: size)])
        let buildRecords = spool.recordPath(id, BuildRecords.directory)
        try FileManager.default.createDirectory(atPath: buildRecords, withIntermediateDirectories: true)
        try write(Array(record.json()), to: "\(buildRecords)/\(RebuildRecord.fileName)")
    }

    private static func write(_ bytes: [UInt8], to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw WorkAreaError(description: "cannot write \(path)")
        }
    }

    /// Times `runs` calls of `command(slot, run)` one at a time, after one untimed call (page
    /// cache, agent), then `runs` calls `parallel` at a time (slot `s` makes runs s, s + parallel, …).
    private static func rate(runs: Int, parallel: Int, _ command: @Sendable (Int, Int) throws -> Void) throws -> SigningRate {
        try command(0, runs)
        let sequential = try timed(runs: runs, parallel: 1, command)
        let concurrent = try timed(runs: runs, parallel: parallel, command)
        return SigningRate(runs: runs, parallel: parallel, sequentialSeconds: sequential, sequentialPerSecond: Double(runs) / sequential,
                           parallelSeconds: concurrent, parallelPerSecond: Double(runs) / concurrent)
    }

    private static func timed(runs: Int, parallel: Int, _ command: @Sendable (Int, Int) throws -> Void) throws -> Double {
        let failure = FirstFailure()
        let began = Clock.monotonic()
        DispatchQueue.concurrentPerform(iterations: parallel) { slot in
            for run in stride(from: slot, to: runs, by: parallel) {
                guard !failure.happened && !interruptRequested.load(ordering: .relaxed) else { return }
                do {
                    try command(slot, run)
                } catch {
                    failure.record(error)
                }
            }
        }
        let seconds = Clock.monotonic() - began
        try Interrupted.check()
        if let error = failure.error { throw error }
        return seconds
    }
}

/// The first error of several threads.
private final class FirstFailure: Sendable {
    private let first = Mutex<(any Error)?>(nil)

    var error: (any Error)? { first.withLock { $0 } }
    var happened: Bool { error != nil }
    func record(_ error: any Error) { first.withLock { if $0 == nil { $0 = error } } }
}
