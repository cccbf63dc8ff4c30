import Buildinfo
import FileSystem
import Foundation
import Rebuild
import Spool

/// What an accepted command does to the spool, through the spool's own operations (requeue,
/// get requests, holds), so every effect is a rename or a file an operator can see. Each action
/// can be done twice with the same result, so a command interrupted by a crash is carried out
/// again in full.
public struct CommandActions: Sendable {
    public var spool: Spool
    /// The specs rebuilder.conf follows: a command for any other is refused.
    public var configuredSpecs: Set<String>

    public init(spool: Spool, configuredSpecs: Set<String>) {
        self.spool = spool
        self.configuredSpecs = configuredSpecs
    }

    /// What was done, in a sentence for the log and `done/<file>.result`.
    public func perform(_ command: SignedCommand, signer: String, key: String) throws -> String {
        if let spec = command.spec, !configuredSpecs.contains(spec) {
            throw CommandRefusal("\(spec) is not a spec this rebuilder follows")
        }
        switch command.action {
        case .rebuild(let spec, let source, let version):
            return try rebuild(spec: spec, source: source, version: version, key: key)
        case .retry(let spec, let scope, let source):
            let from: SpoolDirectory = scope == .failed ? .failed : .uploaded
            let report = try spool.requeue(from: from) { id in
                guard belongs(id, to: spec, source: source) else { return false }
                return scope == .failed || (try? spool.records(of: id).buildResult()?.verdict) == .unreproducible
            }
            return "requeued \(report.requeued.count) task(s) from \(from.rawValue)/" + listed(report.requeued)
        case .hold(let source):
            try Holds(spool: spool).hold(source, reason: "held by \(signer) at \(Timestamp.format(command.timestamp))")
            return "held \(source): its tasks wait in new/"
        case .release(let source):
            return try Holds(spool: spool).release(source) ? "released \(source)" : "\(source) was not held"
        }
    }

    /// A task of this source and version already in the spool is requeued if it finished, left
    /// alone if it is on its way; with none, the get stage is asked to look for it.
    private func rebuild(spec: String, source: String, version: String, key: String) throws -> String {
        let name = "\(source)_\((try? DebianVersion(version))?.withoutEpoch ?? version)_"
        let found = try spool.identities().located.filter { $0.key.rawValue.hasPrefix(name) && label(of: $0.key) == spec }
        if found.isEmpty {
            let requests = "\(spool.root)/get/requests"
            try FileManager.default.createDirectory(atPath: requests, withIntermediateDirectories: true)
            let path = "\(requests)/command-\(key.prefix(16))"
            try AtomicFile.write(Array("\(spec)\n".utf8), to: path, durability: .fileAndDirectory)
            return "no task of \(source) \(version) in the spool: asked the get stage for \(spec)"
        }
        let finished = Set(found.filter { $0.value.isTerminal }.keys)
        var requeued: [TaskID] = []
        for directory in [SpoolDirectory.failed, .uploaded] where found.values.contains(directory) {
            requeued += try spool.requeue(from: directory, matching: finished.contains).requeued
        }
        let working = found.filter { !$0.value.isTerminal }.map { "\($0.key) is in \($0.value.rawValue)/" }.sorted()
        return "requeued \(requeued.count) task(s)" + listed(requeued)
            + (working.isEmpty ? "" : "; " + working.joined(separator: ", "))
    }

    private func belongs(_ id: TaskID, to spec: String, source: String?) -> Bool {
        label(of: id) == spec && (source.map { id.rawValue.hasPrefix("\($0)_") } ?? true)
    }

    private func label(of id: TaskID) -> String? { (try? spool.labels(of: id))?["dist"] }

    private func listed(_ ids: [TaskID]) -> String {
        ids.isEmpty ? "" : ": " + ids.map(\.rawValue).sorted().joined(separator: " ")
    }
}
