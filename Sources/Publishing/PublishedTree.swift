import Foundation
import Spool

/// The published tree of one project, laid out as apt-transport-in-toto and people expect it:
///
///     <root>/<project>/sources/<source>/<version>/rebuild.<keyid8>.<arch>.link   one per architecture
///     <root>/<project>/sources/<source>/<version>/rebuild.<keyid8>.link          every architecture, merged
///     <root>/<project>/sources/<source>/<version>/metadata -> rebuild.<keyid8>.link
///     <root>/<project>/sources/<binary> -> <source>                                for each other binary
///     <root>/<project>/unreproducible/sources/...                                  the same, other key
///     <root>/<project>/logs/ buildinfos/ diffoscope/ results/
public struct PublishedTree: Sendable {
    public let root: String
    public let project: ProjectPath

    public init(root: String, project: ProjectPath) {
        self.root = root
        self.project = project
    }

    public var path: String { "\(root)/\(project)" }

    /// Which half of the tree a link goes to: the reproducible key's or the unreproducible key's.
    public enum Side: String, Sendable, CaseIterable {
        case reproducible, unreproducible
        var prefix: String { self == .reproducible ? "" : "unreproducible/" }
    }

    /// `sources/` of one side, relative to the project.
    public static func sourcesDirectory(_ side: Side) -> String { side.prefix + "sources" }

    public func absolute(_ relative: String) -> String { "\(path)/\(relative)" }

    /// The directory apt asks about: `sources/<source>/<version>` with the epoch's colon kept (a
    /// percent-decoding web server maps apt's `%3a` back to it; aliases cover the others).
    public static func versionDirectory(_ side: Side, source: String, version: String) throws(PublishingError) -> String {
        for name in [source, version] where !PlainName.isSafe(name) {
            throw PublishingError(path: name, reason: "not usable as a name in the published tree")
        }
        return "\(sourcesDirectory(side))/\(source)/\(version)"
    }

    /// Names under which web servers that do not decode percent escapes find an epoch version:
    /// apt writes `%3a`, Python's requests sends `%3A`.
    public static func versionAliases(_ version: String) -> [String] {
        guard version.contains(":") else { return [] }
        return ["%3a", "%3A"].map { version.replacingOccurrences(of: ":", with: $0) }
    }

    public static let logs = "logs"
    public static let buildinfos = "buildinfos"
    public static let diffoscope = "diffoscope"
    public static let results = "results"
}

