/// Debian's suite names: codenames with their release numbers, and the aliases.
enum DebianReleases {
    /// Codename → release number (Qubes OS marks its Debian builds `+deb<number>u<n>`).
    static let numbers: [String: Int] = [
        "stretch": 9, "buster": 10, "bullseye": 11, "bookworm": 12, "trixie": 13, "forky": 14, "duke": 15,
    ]

    /// Suites without a number of their own.
    static let aliases: Set<String> = [
        "sid", "unstable", "experimental", "testing", "stable", "oldstable", "oldoldstable",
    ]

    /// Update suites of a release (`bookworm-backports`, `stable-proposed-updates`).
    static let updateSuffixes = ["-backports-sloppy", "-backports", "-proposed-updates", "-security", "-updates"]

    static func isSuite(_ name: String) -> Bool {
        if numbers[name] != nil || aliases.contains(name) { return true }
        for suffix in updateSuffixes where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            return numbers[base] != nil || ["testing", "stable", "oldstable", "oldoldstable"].contains(base)
        }
        return false
    }
}
