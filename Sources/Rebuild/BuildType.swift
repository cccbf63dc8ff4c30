import Buildinfo

extension Buildinfo {
    /// dpkg-buildpackage's option for what the buildinfo records: -b for architecture-specific
    /// and -independent packages together, -B or -A for one of them.
    public var buildTypeOption: String {
        let built = Set(architectures).subtracting(["source"])
        let independent = built.contains("all")
        let specific = !built.subtracting(["all"]).isEmpty
        switch (specific, independent) {
        case (true, false): return "-B"
        case (false, true): return "-A"
        default: return "-b"
        }
    }
}
