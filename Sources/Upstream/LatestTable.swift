import Buildinfo

/// The best candidate per source while a listing is read: an open-addressing hash table keyed by
/// the source name's bytes in the listing itself, so that a million lines cost no `String` and
/// no `DebianVersion` unless two versions of one source must be compared.
struct LatestTable {
    /// Offsets into the listing; 32 bytes per source.
    struct Entry {
        var pathStart: UInt32
        var pathEnd: UInt32
        var fileStart: UInt32
        var sourceEnd: UInt32
        var versionEnd: UInt32
        var line: UInt32
        var hash: UInt32
        var architectureEnd: UInt32

        var path: Range<Int> { Int(pathStart)..<Int(pathEnd) }
        var fileName: Range<Int> { Int(fileStart)..<Int(pathEnd) }
        var source: Range<Int> { Int(fileStart)..<Int(sourceEnd) }
        var version: Range<Int> { Int(sourceEnd) + 1..<Int(versionEnd) }
        var architecture: Range<Int> { Int(versionEnd) + 1..<Int(architectureEnd) }
    }

    private(set) var entries: [Entry] = []
    /// Entry index + 1; 0 is an empty slot.
    private var slots: [UInt32]
    private var mask: Int
    /// Parsed versions of entries that have been compared at least once.
    private var parsed: [Int: DebianVersion] = [:]

    init(expected: Int = 1024) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        slots = Array(repeating: 0, count: capacity)
        mask = capacity - 1
    }

    /// What became of an offered candidate.
    enum Outcome {
        /// Compared with the source's best so far (and kept if it is newer).
        case considered
        /// Its version is not a Debian version (cannot happen for checked pool paths; kept for safety).
        case invalidVersion(String)
    }

    /// Offers `file` (found on `line`): kept if its source is new or its version is higher in
    /// dpkg order than the source's current best; on equal versions the first one stays.
    mutating func offer(_ bytes: UnsafeBufferPointer<UInt8>, _ file: PoolPath, line: Int) -> Outcome {
        let source = file.source
        var hash: UInt32 = 2_166_136_261
        var i = source.lowerBound
        while i < source.upperBound {
            hash = (hash ^ UInt32(bytes[i])) &* 16_777_619
            i += 1
        }
        let candidate = Entry(
            pathStart: UInt32(file.path.lowerBound), pathEnd: UInt32(file.path.upperBound),
            fileStart: UInt32(file.fileName.lowerBound), sourceEnd: UInt32(source.upperBound),
            versionEnd: UInt32(file.version.upperBound), line: UInt32(truncatingIfNeeded: line), hash: hash,
            architectureEnd: UInt32(file.architecture.upperBound))

        var slot = Int(hash) & mask
        while true {
            let stored = slots[slot]
            if stored == 0 { break }
            let index = Int(stored) - 1
            let entry = entries[index]
            if entry.hash == hash && ByteText.equal(bytes, entry.source, source) {
                return compete(bytes, candidate, with: index)
            }
            slot = (slot + 1) & mask
        }
        slots[slot] = UInt32(entries.count + 1)
        entries.append(candidate)
        if entries.count * 2 > slots.count { grow() }
        return .considered
    }

    private mutating func compete(_ bytes: UnsafeBufferPointer<UInt8>, _ candidate: Entry, with index: Int) -> Outcome {
        let current = entries[index]
        if ByteText.equal(bytes, current.version, candidate.version) { return .considered }
        let newText = ByteText.string(bytes, candidate.version)
        guard let newVersion = try? DebianVersion(newText) else { return .invalidVersion(newText) }
        let best: DebianVersion
        if let cached = parsed[index] {
            best = cached
        } else if let version = try? DebianVersion(ByteText.string(bytes, current.version)) {
            best = version
        } else {
            // Unreachable for checked paths: let the valid candidate take the place.
            entries[index] = candidate
            parsed[index] = newVersion
            return .considered
        }
        if newVersion > best {
            entries[index] = candidate
            parsed[index] = newVersion
        } else if parsed[index] == nil {
            parsed[index] = best
        }
        return .considered
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = Array(repeating: 0, count: capacity)
        mask = capacity - 1
        for (index, entry) in entries.enumerated() {
            var slot = Int(entry.hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(index + 1)
        }
    }

    /// Frees the lookup slots once no more candidates come (the entries stay).
    mutating func finishOffers() {
        slots = []
        mask = 0
    }

    /// The parsed version of entry `index`, parsing it now if it never had to be compared.
    func version(of index: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> DebianVersion? {
        if let cached = parsed[index] { return cached }
        return try? DebianVersion(ByteText.string(bytes, entries[index].version))
    }
}
