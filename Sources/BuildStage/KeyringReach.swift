import Glibc

/// The build stage runs code from the packages it rebuilds, so it must never be able to read the
/// in-toto signing keyring. The units deny the default path; this check covers the configured one.
public enum KeyringReach {
    /// Why the build stage can reach `home`, or nil when it cannot (missing, or denied to it).
    public static func problem(home: String) -> String? {
        let fd = open(home, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        close(fd)
        return "the build stage can read the signing keyring \(home) ([publish] gnupg-home): builds run code from the packages they rebuild. "
            + "Deny it to this stage: InaccessiblePaths=\(home) in rebuilder-stage@.service and rebuilder-drain@.service (only the attest "
            + "stage's drop-in lifts it), or run the stages as separate users"
    }

    /// Under systemd (which sets INVOCATION_ID for every service) a reachable keyring is a
    /// configuration error; run by hand (tests, a single-user trial) it is a warning.
    public static var isEnforced: Bool { getenv("INVOCATION_ID") != nil }
}
