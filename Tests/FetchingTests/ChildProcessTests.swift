import Processes
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The runner under `RsyncListing.list`.
@Suite struct ChildProcessTests {
    private func run(_ script: String, timeout: Double = 10, maximumOutput: Int = 1 << 30) throws -> ChildProcess.Result {
        try ChildProcess.run("sh", ["-c", script], environment: ["PATH=/usr/bin:/bin"], timeout: timeout, maximumOutput: maximumOutput)
    }

    @Test func statusAndBothOutputsAreCaptured() throws {
        let result = try run("echo out; echo err >&2; exit 3")
        #expect(result.termination == .exited(3))
        #expect(result.stdout == Array("out\n".utf8))
        #expect(result.stderr == Array("err\n".utf8))
    }

    @Test func bothOutputsFillingUpDoNotDeadlock() throws {
        let result = try run("head -c 3000000 /dev/zero >&2; head -c 5000000 /dev/zero; head -c 3000000 /dev/zero >&2")
        #expect(result.termination == .exited(0))
        #expect(result.stdout.count == 5_000_000)
        #expect(result.stderr.count == ChildProcess.stderrKept)
    }

    @Test func aProgramStillRunningAtTheDeadlineIsKilled() throws {
        let result = try run("echo started; exec sleep 30", timeout: 0.5)
        #expect(result.termination == .timedOut)
        #expect(result.stdout == Array("started\n".utf8))
    }

    @Test func tooMuchOutputStopsTheProgram() throws {
        let result = try run("exec cat /dev/zero", maximumOutput: 1 << 20)
        #expect(result.termination == .outputTooLarge)
    }

    @Test func aSignalIsReported() throws {
        #expect(try run("kill -TERM $$").termination == .signalled(SIGTERM))
    }

    @Test func theEnvironmentIsExactlyTheOneGiven() throws {
        let result = try run("env")
        #expect(String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").contains("PATH=/usr/bin:/bin"))
        #expect(!String(decoding: result.stdout, as: UTF8.self).contains("HOME="))
    }

    @Test func onlyTheStandardDescriptorsAreInherited() throws {
        // No O_CLOEXEC, and above 3 whatever else this process has open (3 is ls's directory).
        let opened = open("/dev/null", O_RDONLY)
        let leaked = fcntl(opened, F_DUPFD, 100)
        close(opened)
        defer { close(leaked) }
        try #require(leaked >= 100)
        let result = try ChildProcess.run("ls", ["/proc/self/fd"], environment: [], timeout: 10, maximumOutput: 1 << 20)
        let descriptors = Set(String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").map(String.init))
        // 3 is the directory ls reads.
        #expect(descriptors.isSubset(of: ["0", "1", "2", "3"]))
    }

    @Test func aMissingProgramCannotStart() {
        #expect(throws: SpawnFailure.self) {
            try ChildProcess.run("no-such-program-here", [], environment: ["PATH=/nonexistent"], timeout: 1, maximumOutput: 1)
        }
    }
}
