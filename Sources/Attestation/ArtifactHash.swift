import FileSystem

/// How in-toto's inspection records a local artifact: the lowercase sha256 of its content.
public enum ArtifactHash {
    /// Reads the file in blocks (`FileDigest`), so a large .deb is never held in memory.
    public static func sha256(ofFileAt path: String) throws(AttestationError) -> String {
        do {
            guard let digest = try FileDigest.of(path: path) else { throw AttestationError(path, "does not exist") }
            return digest.sha256
        } catch let error as AttestationError {
            throw error
        } catch {
            throw AttestationError(path, "cannot be read: \(error)")
        }
    }
}
