import OpenPGP
import Crypto
import Foundation
import Hexadecimal

/// How in-toto's inspection records a local artifact: the lowercase sha256 of its content.
public enum ArtifactHash {
    /// Reads the file in chunks, so a large .deb is never held in memory.
    public static func sha256(ofFileAt path: String) throws(AttestationError) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw AttestationError(path, "cannot be opened for reading") }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        } catch {
            throw AttestationError(path, "read failed: \(error.localizedDescription)")
        }
        return Hex.lowercase(hasher.finalize())
    }
}
