import FileSystem
import Buildinfo

/// One artifact of a buildinfo, as shipped and as rebuilt.
public struct ArtifactResult: Codable, Sendable, Equatable {
    public var name: String
    public var expectedSHA256: String
    public var expectedSize: Int
    /// nil when the rebuild did not produce it.
    public var rebuiltSHA256: String?
    public var rebuiltSize: Int?

    public var matches: Bool { rebuiltSHA256 == expectedSHA256 && rebuiltSize == expectedSize }

    public init(name: String, expectedSHA256: String, expectedSize: Int, rebuiltSHA256: String?, rebuiltSize: Int?) {
        self.name = name
        self.expectedSHA256 = expectedSHA256
        self.expectedSize = expectedSize
        self.rebuiltSHA256 = rebuiltSHA256
        self.rebuiltSize = rebuiltSize
    }
}

public enum ArtifactComparison {
    /// Compares every file of the buildinfo's Checksums-Sha256 with the file of that name in
    /// `outputDirectory`.
    public static func compare(_ expected: [ArtifactChecksum], outputDirectory: String) throws -> [ArtifactResult] {
        try expected.map { artifact in
            let rebuilt = try FileDigest.of(path: "\(outputDirectory)/\(artifact.name)")
            return ArtifactResult(name: artifact.name, expectedSHA256: artifact.digest.lowercased(),
                                  expectedSize: artifact.size, rebuiltSHA256: rebuilt?.sha256, rebuiltSize: rebuilt?.size)
        }
    }

    /// All equal: reproducible; none rebuilt: ftbfs; otherwise unreproducible.
    public static func verdict(of artifacts: [ArtifactResult]) -> Verdict {
        if !artifacts.isEmpty && artifacts.allSatisfy(\.matches) { return .reproducible }
        if artifacts.allSatisfy({ $0.rebuiltSHA256 == nil }) { return .ftbfs }
        return .unreproducible
    }
}
