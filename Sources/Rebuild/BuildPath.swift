import Buildinfo

/// Where a rebuild happens: a directory below a trusted root. The root is the operator's (it may
/// itself be a symbolic link); below it every component is resolved without following links,
/// because the backend deletes and recreates the directory.
public struct BuildLocation: Sendable, Equatable {
    public var root: String
    /// Plain components below `root`, joined by "/".
    public var relative: String

    public init(root: String, relative: String) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.relative = relative
    }

    public var path: String { root == "/" ? "/\(relative)" : "\(root)/\(relative)" }
}

/// The buildinfo names where it was built (Build-Path), and a reproducible build may depend on it,
/// but a buildinfo is untrusted input: only absolute paths below an allowed root, made of plain
/// components, are used.
public struct BuildPathPolicy: Sendable, Equatable {
    public var allowedRoot: String

    public init(allowedRoot: String = "/build/") {
        self.allowedRoot = allowedRoot.hasSuffix("/") ? allowedRoot : allowedRoot + "/"
    }

    /// The directory to build in, or why the buildinfo's Build-Path cannot be used. Without a
    /// Build-Path: `<source>-<upstream version>` below `fallbackRoot`.
    public func directory(for buildinfo: Buildinfo, fallbackRoot: String) -> Result<BuildLocation, RebuildError> {
        guard let path = buildinfo.buildPath else {
            return .success(BuildLocation(root: fallbackRoot, relative: "\(buildinfo.source)-\(buildinfo.sourceVersion.upstream)"))
        }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard path.hasPrefix(allowedRoot), path.count > allowedRoot.count,
              !components.dropFirst().contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
              path.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/._+~-".contains($0)) }) else {
            return .failure(RebuildError("Build-Path '\(path)' is not a plain directory below \(allowedRoot)"))
        }
        return .success(BuildLocation(root: allowedRoot, relative: String(path.dropFirst(allowedRoot.count))))
    }
}
