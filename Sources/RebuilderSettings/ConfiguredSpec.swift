/// One distribution spec from a `dist` key, with where it was written, so that anything wrong
/// with it later (an unknown suite, an unreachable repository) can point at the line.
public struct ConfiguredSpec: Sendable, Equatable {
    /// The section it was read from: "debian", "qubesos" or "fedora".
    public let distribution: String
    public let spec: DistributionSpec
    /// "path:line", the line of the spec itself within a multi-line `dist`.
    public let location: String

    public init(distribution: String, spec: DistributionSpec, location: String) {
        self.distribution = distribution
        self.spec = spec
        self.location = location
    }

    /// Every spec of a `dist` entry, checked: a word that is not `{suite}+{set}+...+{set}.{arch}`
    /// is an error on its own line.
    static func parse(_ entry: IniEntry, section: String, path: String) throws -> [ConfiguredSpec] {
        var specs: [ConfiguredSpec] = []
        for (offset, line) in entry.value.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for word in line.split(whereSeparator: \.isWhitespace) {
                let lineNumber = offset < entry.valueLines.count ? entry.valueLines[offset] : entry.line
                guard let spec = DistributionSpec(parsing: String(word)) else {
                    throw ConfigurationError(
                        path: path, line: lineNumber,
                        message: "bad distribution spec '\(word)' in 'dist' of [\(section)]: expected "
                            + "{suite}+{package set}+...+{package set}.{arch}, such as "
                            + "bookworm+essential+required.amd64, bookworm.all or qubes-4.1-vm-bookworm.amd64")
                }
                specs.append(ConfiguredSpec(distribution: section, spec: spec, location: "\(path):\(lineNumber)"))
            }
        }
        return specs
    }
}
