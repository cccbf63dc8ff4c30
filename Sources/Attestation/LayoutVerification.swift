import Foundation

/// Verifies local artifacts against a signed root layout and the links for its step, deciding as
/// in-toto's `verifylib.in_toto_verify` does when apt-transport-in-toto runs it — each artifact as
/// if alone in the verification directory, which is how apt verifies each downloaded .deb.
public struct LayoutVerification: Sendable {
    public struct ArtifactResult: Sendable, Equatable {
        public var name: String
        /// nil when the artifact passed.
        public var failure: VerificationFailure?
        public var passed: Bool { failure == nil }
    }

    private let layout: Metablock
    private let shape: SupportedLayout
    private let trustedKeys: [GPGKey]

    /// Refuses, as "unsupported layout: …", any layout whose shape differs from the root layout
    /// apt-transport-in-toto ships (see `RebuildLayout`).
    public init(layout: Metablock, trustedKeys: [GPGKey]) throws(AttestationError) {
        self.layout = layout
        self.shape = try SupportedLayout(layout.signed)
        self.trustedKeys = trustedKeys
    }

    /// One result per artifact (sorted by name); `artifacts` maps local file names to their sha256.
    public func verify(artifacts: [String: String], links: [Metablock], now: Date = Date()) -> [ArtifactResult] {
        let common: Result<ReadLink, VerificationFailure> = checkLayout(now: now).flatMap { stepLink(from: links, now: now) }
        return artifacts.sorted { $0.key < $1.key }.map { name, sha256 in
            let failure: VerificationFailure? = switch common {
            case .failure(let failure): failure
            case .success(let link): checkInspection(artifact: name, sha256: sha256.lowercased(), against: link)
            }
            return ArtifactResult(name: name, failure: failure)
        }
    }

    /// Layout signatures (every trusted key must have signed) and expiry.
    private func checkLayout(now: Date) -> Result<Void, VerificationFailure> {
        guard !trustedKeys.isEmpty else { return .failure(.noLayoutKeys) }
        for key in trustedKeys {
            // in-toto checks the first signature by the key or one of its subkeys.
            guard let signature = layout.signatures.first(where: { key.key(for: $0.keyid) != nil }) else {
                return .failure(.layoutNotSigned(keyid: key.keyid))
            }
            do {
                try key.verify(signature, over: layout.signedBytes, now: now)
            } catch {
                return .failure(.layoutSignature(error))
            }
        }
        guard Double(shape.expiresAt) >= now.timeIntervalSince1970 else { return .failure(.layoutExpired(expires: shape.expires)) }
        return .success(())
    }

    /// The link whose products the rules use: loading by file name, signature threshold, agreement
    /// of the counted links, then the step's product rules — `load_links_for_layout`,
    /// `verify_link_signature_thresholds`, `verify_threshold_constraints`, `reduce_chain_links`.
    private func stepLink(from metablocks: [Metablock], now: Date) -> Result<ReadLink, VerificationFailure> {
        var notes: [String] = []
        // apt writes each fetched link as {name}.{keyid:.8}.link; a later one replaces an earlier one.
        var files: [String: ReadLink] = [:]
        for (index, metablock) in metablocks.enumerated() {
            do {
                let link = try ReadLink(metablock)
                if files[link.fileName] != nil { notes.append("link \(index + 1) replaces an earlier one as \(link.fileName)") }
                files[link.fileName] = link
            } catch {
                notes.append("link \(index + 1) unreadable: \(error)")
            }
        }
        let keys = Dictionary(shape.keys, uniquingKeysWith: { first, _ in first })
        var found: [(keyid: String, link: ReadLink)] = []
        for authorized in shape.pubkeys {
            for keyid in [authorized] + (keys[authorized]?.subkeys.map(\.keyid) ?? []) {
                guard let link = files["\(shape.stepName).\(keyid.prefix(8)).link"] else { continue }
                if let index = found.firstIndex(where: { $0.keyid == keyid }) { found[index].link = link } else { found.append((keyid, link)) }
            }
        }
        let usedFiles = Set(found.map(\.link.fileName))
        for link in files.values.sorted(by: { $0.fileName < $1.fileName }) where !usedFiles.contains(link.fileName) {
            notes.append(link.name == shape.stepName
                ? "link by \(link.metablock.signatures[0].keyid): key not authorized for step \(shape.stepName)"
                : "link by \(link.metablock.signatures[0].keyid) is for step \(link.name), not \(shape.stepName)")
        }
        guard found.count >= shape.threshold else {
            return .failure(.linksMissing(step: shape.stepName, required: shape.threshold, found: found.count, notes: notes))
        }

        // Subkeys of a listed key are authorized implicitly; a listed subkey verifies with its primary.
        let primaryOfSubkey = Dictionary(shape.keys.flatMap { entry in entry.key.subkeys.map { ($0.keyid, entry.key) } },
                                         uniquingKeysWith: { _, last in last })
        var verified: [(keyid: String, link: ReadLink)] = []
        var mainKeyids: [String] = []
        for (linkKeyid, link) in found {
            var verificationKey: GPGKey?
            for authorized in shape.pubkeys {
                if let key = keys[authorized], linkKeyid == authorized { verificationKey = key; break }
                if let key = primaryOfSubkey[authorized], linkKeyid == authorized { verificationKey = key; break }
                if let key = keys[authorized], key.subkeys.contains(where: { $0.keyid == linkKeyid }) { verificationKey = key; break }
            }
            guard let verificationKey else {
                notes.append("\(link.fileName): key \(linkKeyid) not authorized for step \(shape.stepName)")
                continue
            }
            guard let signature = link.metablock.signatures.first(where: { verificationKey.key(for: $0.keyid) != nil }) else {
                notes.append("\(link.fileName): no signature by key \(verificationKey.keyid) or its subkeys")
                continue
            }
            do {
                try verificationKey.verify(signature, over: link.signedBytes, now: now)
            } catch {
                notes.append("\(link.fileName): \(error)")
                continue
            }
            mainKeyids.append(verificationKey.keyid)
            verified.append((linkKeyid, link))
        }
        // Links signed through different subkeys of one primary key count once.
        let distinct = verified.count - (mainKeyids.count - Set(mainKeyids).count)
        guard distinct >= shape.threshold else {
            return .failure(.thresholdNotMet(step: shape.stepName, required: shape.threshold, valid: distinct, notes: notes))
        }
        let reference = verified[0].link
        if shape.threshold > 1 {
            for other in verified.dropFirst() where other.link.materials != reference.materials || other.link.products != reference.products {
                return .failure(.linksDisagree(step: shape.stepName, fileNames: [reference.fileName, other.link.fileName]))
            }
        }
        // CREATE p consumes the products that are not materials; DISALLOW p refuses what is left.
        let materialNames = Set((reference.materials.objectMembers ?? []).map { Array($0.key.utf8) })
        let refused = (reference.products.objectMembers ?? []).map(\.key)
            .filter { shape.productPattern.matches($0) && materialNames.contains(Array($0.utf8)) }
        guard refused.isEmpty else {
            return .failure(.productRule(step: shape.stepName, rule: "DISALLOW \(shape.productPattern.pattern)", products: refused.sorted()))
        }
        return .success(reference)
    }

    /// The inspection's `MATCH p WITH PRODUCTS FROM step` then `DISALLOW p`: the artifact must be a
    /// product of the link with the very same hash dictionary (the inspection records sha256 only).
    private func checkInspection(artifact: String, sha256: String, against link: ReadLink) -> VerificationFailure? {
        guard shape.artifactPattern.matches(artifact) else { return .notCovered(artifact: artifact, pattern: shape.artifactPattern.pattern) }
        guard let recorded = link.products[artifact] else { return .notInLink(artifact: artifact, step: shape.stepName) }
        let local = CanonicalJSON.object([("sha256", .string(sha256))])
        guard recorded == local else {
            return .hashDiffers(artifact: artifact, step: shape.stepName, recorded: String(decoding: recorded.bytes, as: UTF8.self), local: sha256)
        }
        return nil
    }
}
