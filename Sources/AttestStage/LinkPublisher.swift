import Attestation
import Foundation
import OpenPGP
import Publishing
import Spool

/// Writes one side's links for one source version into the published tree: this task's
/// architecture link, the merged link of every architecture published so far, the `metadata`
/// link apt fetches, and the names apt and web servers reach it by.
///
/// Two tasks of one source (say amd64 and all) may attest at once, on one host or several
/// sharing the tree: the version directory's lock serializes the read-merge-sign-write, so the
/// merged link always holds every architecture's products.
struct LinkPublisher {
    var tree: PublishedTree
    var signer: DetachedSigner

    struct Published: Equatable {
        var architectureLink: String
        var mergedLink: String
        var keyid: String
    }

    /// `log`: the kept build log the link is made after, if the log keeper is in use.
    func publish(_ group: AttestationPlan.Group, source: String, architecture: String, log: RebuildLink.KeptLog? = nil) throws -> Published {
        let versionDirectory = try PublishedTree.versionDirectory(group.side, source: source, version: group.version)
        let directory = tree.absolute(versionDirectory)
        let lock = try DirectoryLock(directory: directory)
        defer { lock.release() }
        let ownLink = RebuildLink(products: group.products, logs: log.map { [$0] } ?? [])
        let own = try sign(ownLink)
        let prefix = "rebuild.\(own.keyid.prefix(8))."
        let architectureName = prefix + architecture + ".link"
        let mergedName = prefix + "link"
        try AtomicFiles.write(own.metablock.fileBytes, to: "\(directory)/\(architectureName)")

        var merged: [String: String] = [:]
        var mergedLogs: [String: RebuildLink.KeptLog] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory)
        where name.hasPrefix(prefix) && name.hasSuffix(".link") && name != mergedName && name != architectureName {
            let other = try Self.link(at: "\(directory)/\(name)")
            merged.merge(other.productHashes) { kept, _ in kept }
            for kept in other.logs { mergedLogs[kept.path] = kept }
        }
        // This task's hashes are the newest word on its own files.
        merged.merge(group.products) { _, own in own }
        for kept in ownLink.logs { mergedLogs[kept.path] = kept }
        let mergedLink = RebuildLink(products: merged, logs: mergedLogs.keys.sorted().compactMap { mergedLogs[$0] })
        let mergedBytes = mergedLink == ownLink ? own.metablock.fileBytes : try sign(mergedLink).metablock.fileBytes
        try AtomicFiles.write(mergedBytes, to: "\(directory)/\(mergedName)")
        try AtomicFiles.placeSymlink(mergedName, at: "\(directory)/metadata")
        for alias in PublishedTree.versionAliases(group.version) {
            try AtomicFiles.placeSymlink(group.version, at: tree.absolute("\(PublishedTree.sourcesDirectory(group.side))/\(source)/\(alias)"))
        }
        return Published(architectureLink: "\(versionDirectory)/\(architectureName)", mergedLink: "\(versionDirectory)/\(mergedName)",
                         keyid: own.keyid)
    }

    /// `sources/<binary>` → `<source>` for each binary package named otherwise, so that apt's
    /// `sources/<binary>/<version>/metadata` finds the source's directory. Returns what could not be
    /// linked because a real directory of that name exists (a source package of that name).
    func linkBinaries(_ binaries: [String], source: String, side: PublishedTree.Side) throws -> [String] {
        var skipped: [String] = []
        for binary in binaries where binary != source {
            guard PlainName.isSafe(binary) else { throw PublishingError(path: binary, reason: "not usable as a name in the published tree") }
            let path = tree.absolute("\(PublishedTree.sourcesDirectory(side))/\(binary)")
            if AtomicFiles.isRealEntry(path) {
                skipped.append(binary)
            } else {
                try AtomicFiles.placeSymlink(source, at: path)
            }
        }
        return skipped
    }

    private func sign(_ link: RebuildLink) throws -> (metablock: Metablock, keyid: String) {
        let signature = try GPGSignature(packet: signer.sign(link.signableBytes))
        return (Metablock(signed: link.canonical, signatures: [signature]), signature.keyid)
    }

    /// A link we published earlier (for merging). Its signature was ours; the file is re-read
    /// only for its products and logs.
    static func link(at path: String) throws -> RebuildLink {
        let metablock = try Metablock(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        return try RebuildLink(signed: metablock.signed)
    }
}
