import Glibc
import Hexadecimal

extension Spool {
    /// Moves an entry that cannot be a task (bad name, not a regular file, empty, too large) out of
    /// an inbox into `failed/` under a safe generated name, with the original name and the reason
    /// in `records/<generated>/`. The entry is renamed, never opened, so a symlink or fifo is not
    /// followed and nothing outside the spool is touched.
    @discardableResult
    public func quarantine(_ name: [UInt8], in directory: SpoolDirectory, reason: String,
                           stage: Stage, syncer: DirectorySyncer?) throws -> String {
        let generated = Spool.quarantineName()
        let shown = printableName(name)
        let explanation = "'\(shown)' in \(directory.rawValue)/: \(reason)"
        let records = try records(of: TaskID(generated)!)
        try records.replace("original-name", with: shown + "\n")
        try records.replace("reason", with: explanation + "\n")

        let source = rawPath(directory, name)
        let destination = path(.failed, generated)
        if source.withUnsafeBufferPointer({ Glibc.rename($0.baseAddress!, destination) }) != 0 {
            let failure = errno
            try? records.remove("original-name")
            try? records.remove("reason")
            rmdir(records.path)
            throw SpoolError("quarantine", path: "\(path(directory))/\(shown)", errno: failure)
        }
        syncer?.markDirty(path(.failed))
        if let id = TaskID(generated) {
            self.record(HistoryEvent(stage: stage, event: "quarantined", detail: explanation), for: id)
        }
        return generated
    }

    /// A NUL-terminated path to an entry whose name may not be UTF-8.
    func rawPath(_ directory: SpoolDirectory, _ name: [UInt8]) -> [CChar] {
        (Array(path(directory).utf8) + [UInt8(ascii: "/")] + name + [0]).map { CChar(bitPattern: $0) }
    }

    /// Whether an entry of failed/ is a quarantined non-task rather than a task that failed.
    public func isQuarantined(_ id: TaskID) -> Bool {
        existingRecords(of: id)?.exists("original-name") ?? false
    }

    static func quarantineName() -> String {
        let stamp = Timestamp.format(Timestamp.now()).filter { $0.isNumber }
        let random = Hex.lowercase((0..<4).map { _ in UInt8.random(in: 0...255) })
        return "quarantine-\(stamp.prefix(14))-\(random)"
    }
}
