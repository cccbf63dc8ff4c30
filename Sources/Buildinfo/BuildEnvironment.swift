/// Which of a buildinfo's `Environment` variables a rebuild may take. Only the ones
/// `dpkg-genbuildinfo` itself records can appear in a genuine buildinfo; anything else
/// (`LD_PRELOAD`, `PATH`, ...) came from someone who wants it to reach the build.
public enum BuildEnvironment {
    /// `get_build_env_allowed` of Dpkg::BuildInfo (libdpkg-perl 1.21, Debian bookworm).
    public static let recordedByDpkg: Set<String> = [
        // Toolchain.
        "CC", "CPP", "CXX", "OBJC", "OBJCXX", "PC", "FC", "M2C", "AS", "LD", "AR", "RANLIB", "MAKE", "AWK", "LEX", "YACC",
        // Toolchain flags.
        "ASFLAGS", "CFLAGS", "CPPFLAGS", "CXXFLAGS", "OBJCFLAGS", "OBJCXXFLAGS", "GCJFLAGS", "DFLAGS", "FFLAGS",
        "LDFLAGS", "ARFLAGS", "MAKEFLAGS",
        // Dynamic linker.
        "LD_LIBRARY_PATH",
        // Locale.
        "LANG", "LC_ALL", "LC_CTYPE", "LC_NUMERIC", "LC_TIME", "LC_COLLATE", "LC_MONETARY", "LC_MESSAGES", "LC_PAPER",
        "LC_NAME", "LC_ADDRESS", "LC_TELEPHONE", "LC_MEASUREMENT", "LC_IDENTIFICATION",
        // Build options and profiles, vendor.
        "DEB_BUILD_OPTIONS", "DEB_BUILD_PROFILES", "DEB_VENDOR",
        // dpkg's own paths.
        "DPKG_ROOT", "DPKG_ADMINDIR", "DPKG_DATADIR", "DPKG_ORIGINS_DIR", "DPKG_GENSYMBOLS_CHECK_LEVEL",
        // Reproducible timestamps.
        "SOURCE_DATE_EPOCH",
    ]

    /// Of those, the ones that choose no program, library or file to use: locale, timestamp,
    /// build options and profiles. The others (a compiler, flags that can load a plugin, a
    /// library path, dpkg's directories) decide what runs, which a build inside a sandbox can
    /// only turn against its own output, but a build on the host against the host.
    public static let inert: Set<String> = [
        "LANG", "LC_ALL", "LC_CTYPE", "LC_NUMERIC", "LC_TIME", "LC_COLLATE", "LC_MONETARY", "LC_MESSAGES", "LC_PAPER",
        "LC_NAME", "LC_ADDRESS", "LC_TELEPHONE", "LC_MEASUREMENT", "LC_IDENTIFICATION",
        "DEB_BUILD_OPTIONS", "DEB_BUILD_PROFILES", "DEB_VENDOR", "DPKG_GENSYMBOLS_CHECK_LEVEL", "SOURCE_DATE_EPOCH",
    ]

    /// Why `variables` may not reach a build, or nil when they may. `onHost`: the build runs
    /// on this host outside any sandbox; `signatureVerified`: the buildinfo's signature was
    /// checked against a configured keyring.
    public static func refusal(of variables: [EnvironmentVariable], onHost: Bool, signatureVerified: Bool) -> String? {
        let unknown = variables.map(\.name).filter { !recordedByDpkg.contains($0) }
        if !unknown.isEmpty {
            return "Environment sets \(unknown.joined(separator: ", ")), which dpkg-genbuildinfo never records: refused before building"
        }
        guard onHost, !signatureVerified else { return nil }
        let choosing = variables.map(\.name).filter { !inert.contains($0) }
        if !choosing.isEmpty {
            return "Environment sets \(choosing.joined(separator: ", ")), which choose what runs on this host: "
                + "accepted only from a buildinfo whose signature was verified (buildinfo-keyring)"
        }
        return nil
    }
}
