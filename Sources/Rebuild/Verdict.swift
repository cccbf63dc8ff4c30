/// What a rebuild showed. Decided by the build stage from the files, never by the backend.
public enum Verdict: String, Codable, Sendable {
    /// Every artifact the buildinfo lists was rebuilt bit for bit.
    case reproducible
    /// Something was built, but at least one artifact differs or is missing.
    case unreproducible
    /// Nothing was built: the backend failed or produced none of the artifacts.
    case ftbfs
}
