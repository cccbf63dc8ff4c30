import Processes

/// The keeper's one way to run a program (git, xz): to its end within `timeout`, its output
/// without the final newline, or why it failed (`what`, how it ended, the last line it said).
enum KeeperTool {
    @discardableResult
    static func run(_ program: String, _ arguments: [String], environment: [String], timeout: Double,
                    what: String) throws(LogStreamError) -> String {
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(program, arguments, environment: environment, timeout: timeout, maximumOutput: 1 << 20)
        } catch {
            throw LogStreamError("\(what): \(error)")
        }
        guard result.termination == .exited(0) else {
            let said = String(decoding: result.stderr, as: UTF8.self).split(separator: "\n").last.map { ": \($0)" } ?? ""
            throw LogStreamError("\(what) ended \(result.termination)\(said)")
        }
        var output = String(decoding: result.stdout, as: UTF8.self)
        while output.hasSuffix("\n") { output.removeLast() }
        return output
    }
}
