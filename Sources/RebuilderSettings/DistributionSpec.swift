/// A distribution as configured: `{suite}+{set}+...+{set}.{arch}`, e.g.
/// `unstable+essential+required.amd64`, or a Qubes one like `qubes-4.1-vm-bullseye.amd64`
/// (the suite is everything before the last dot, so the dots inside it are fine).
public struct DistributionSpec: Hashable, Sendable {
    /// The spec exactly as configured; it names the JSON export and the metric label.
    public let raw: String
    public let suite: String
    /// Package sets in configured order; empty when the spec names none (the whole suite).
    public let packageSets: [String]
    public let architecture: String

    /// Nil when `raw` does not have that shape: no dot, an empty suite, set or architecture,
    /// an architecture that is not lowercase letters, digits and dashes, or blanks anywhere.
    /// The suite may hold a "/" (old suites like "buster/updates"); file names escape it.
    public init?(parsing raw: String) {
        guard !raw.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }),
              let lastDot = raw.lastIndex(of: ".") else { return nil }
        let architecture = String(raw[raw.index(after: lastDot)...])
        let parts = raw[..<lastDot].split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        guard Self.isArchitecture(architecture), let suite = parts.first,
              parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.raw = raw
        self.suite = suite
        self.packageSets = Array(parts.dropFirst())
        self.architecture = architecture
    }

    private static func isArchitecture(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
