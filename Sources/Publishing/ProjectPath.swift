/// A project's place in the published tree, such as `debian` or `qubesos/deb/r4.1/vm`: a relative
/// path of plain names, so that a label or a configuration value can never point outside the tree.
public struct ProjectPath: Sendable, Hashable, CustomStringConvertible {
    public let components: [String]

    public init(_ text: String) throws(PublishingError) {
        let components = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !text.isEmpty, components.allSatisfy(PublishedName.isSafe) else {
            throw PublishingError(path: text, reason: "a project is a relative path of names made of letters, digits and . _ + - (such as debian or qubesos/deb/r4.1/vm)")
        }
        self.components = components
    }

    public var description: String { components.joined(separator: "/") }
    /// One file-name-safe word for the project (`qubesos_deb_r4.1_vm`), e.g. for a textfile name.
    public var flattened: String { components.joined(separator: "_") }
}

/// Names that may be a file or directory name in the published tree.
public enum PublishedName {
    /// Letters, digits and `. _ + - ~ :`, not empty, not starting with `.` or `-`.
    public static func isSafe(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: "."), first != UInt8(ascii: "-"), name.utf8.count <= 255 else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
                || [UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "~"), UInt8(ascii: ":")].contains(byte)
        }
    }
}
