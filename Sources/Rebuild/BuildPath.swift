import Buildinfo

/// Where a rebuild happens. The buildinfo names it (Build-Path), and a reproducible build may
/// depend on it, but a buildinfo is untrusted input: only absolute paths below an allowed root,
/// made of plain components, are used, because the backend deletes and recreates that directory.
public struct BuildPathPolicy: Sendable, Equatable {
    public var allowedRoot: String

    public init(allowedRoot: String = "/build/") {
        self.allowedRoot = allowedRoot.hasSuffix("/") ? allowedRoot : allowedRoot + "/"
    }

    /// The directory to build in, or why the buildinfo's Build-Path cannot be used.
    public func directory(for buildinfo: Buildinfo, fallbackRoot: String) -> Result<String, RebuildError> {
        guard let path = buildinfo.buildPath else {
            return .success("\(fallbackRoot)/\(buildinfo.source)-\(buildinfo.sourceVersion.upstream)")
        }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard path.hasPrefix(allowedRoot), path.count > allowedRoot.count,
              !components.dropFirst().contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
              path.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/._+~-".contains($0)) }) else {
            return .failure(RebuildError("Build-Path '\(path)' is not a plain directory below \(allowedRoot)"))
        }
        return .success(path)
    }
}
