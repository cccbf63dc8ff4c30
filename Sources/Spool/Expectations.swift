import Glibc

/// `expected/<group>`: the identities a submitter expects in the spool, one per line, so that
/// reports can count those not delivered yet as waiting. The group is the submitter's word
/// (the get stage uses distribution specs); the spool does not interpret it.
extension Spool {
    public var expectedPath: String { "\(root)/expected" }

    /// Replaces a group's list atomically (readers see the old list or the new one).
    public func setExpected(_ ids: [TaskID], group: String) throws {
        _ = try SystemCalls.makeDirectory(expectedPath)
        let text = ids.map(\.rawValue).joined(separator: "\n") + (ids.isEmpty ? "" : "\n")
        try SystemCalls.replaceFile("\(expectedPath)/\(Spool.expectedFileName(group))", with: text)
    }

    /// Every group's list; lines that are not task identities are left out.
    public func expected() throws -> [String: [TaskID]] {
        var groups: [String: [TaskID]] = [:]
        guard access(expectedPath, F_OK) == 0 else { return groups }
        for name in try SystemCalls.listNames(expectedPath) where name.first != UInt8(ascii: ".") {
            let fileName = String(decoding: name, as: UTF8.self)
            guard let bytes = try SystemCalls.readSmallFile("\(expectedPath)/\(fileName)", limit: 256 << 20) else { continue }
            groups[Spool.expectedGroup(fileName)] = bytes.split(separator: UInt8(ascii: "\n"))
                .compactMap { TaskID(String(decoding: $0, as: UTF8.self)) }
        }
        return groups
    }

    /// A group as a file name: "%" and "/" escaped as %25 and %2F, a leading "." as %2E.
    static func expectedFileName(_ group: String) -> String {
        var name = group.replacingAll("%", with: "%25").replacingAll("/", with: "%2F")
        if name.hasPrefix(".") { name = "%2E" + name.dropFirst() }
        return name
    }

    static func expectedGroup(_ fileName: String) -> String {
        fileName.replacingAll("%2E", with: ".").replacingAll("%2F", with: "/").replacingAll("%25", with: "%")
    }
}

extension String {
    /// Foundation-free replacement (the spool module does not import Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

extension Spool {
    /// When a group's list was last written: for a submitter, when it last listed upstream.
    public func expectedModificationTime(group: String) -> Double? {
        Timestamp.modificationTime(of: "\(expectedPath)/\(Spool.expectedFileName(group))")
    }
}
