import ArgumentParser
import Attestation
import Fetching
import Foundation
import OpenPGP

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify .deb files against rebuilders' in-toto links as apt-transport-in-toto does.",
        discussion: """
        Each file must carry apt's local name, name_version_arch.deb (an epoch's colon as %3a). Its link \
        is fetched from {rebuilder}/sources/{name}/{version}/metadata — a URL, or a directory laid out like \
        the published tree — and checked with the signed root layout and the layout keys. Prints \
        'PASS file' or 'FAIL file: reason' per file; exits 0 only if all pass.
        """)

    @Argument(help: "The .deb files to verify.")
    var files: [String]

    @Option(name: .customLong("rebuilder"), help: "Rebuilder base URL (http/https) or directory (repeatable).")
    var rebuilders: [String] = []

    @Option(help: "The signed root layout.")
    var layout: String

    @Option(name: .customLong("layout-key"), help: "Fingerprint of a key that must have signed the layout (repeatable).")
    var layoutKeys: [String] = []

    @Option(help: "GnuPG home holding the layout keys.")
    var keyring: String

    /// A link is a few kilobytes; anything far bigger is not one.
    static let metadataLimit = 4 << 20
    static let timeoutSeconds: TimeInterval = 30

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one .deb file") }
        guard !rebuilders.isEmpty else { throw ValidationError("give at least one --rebuilder") }
        guard !layoutKeys.isEmpty else { throw ValidationError("give at least one --layout-key") }
    }

    func run() throws {
        let verification = try loadVerification()
        var failed = 0
        for file in files {
            if let reason = verify(file, with: verification) {
                print("FAIL \(file): \(reason)")
                failed += 1
            } else {
                print("PASS \(file)")
            }
        }
        if failed > 0 { throw ExitCode.failure }
    }

    private func loadVerification() throws -> LayoutVerification {
        do {
            let exporter = try KeyExporter(home: keyring)
            var keys: [GPGKey] = []
            for fingerprint in layoutKeys { keys.append(GPGKey(exported: try exporter.export(fingerprint: fingerprint))) }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: layout))
            let metablock: Metablock
            do {
                metablock = try Metablock(parsing: Array(bytes))
            } catch {
                throw AttestationError(layout, "\(error)")
            }
            return try LayoutVerification(layout: metablock, trustedKeys: keys)
        } catch let error as AttestationError {
            printError("rebuilder: \(error)")
            throw ExitCode(65) // EX_DATAERR
        } catch {
            printError("rebuilder: \(error)")
            throw ExitCode(66) // EX_NOINPUT
        }
    }

    /// nil when the file passes, else why not.
    private func verify(_ file: String, with verification: LayoutVerification) -> String? {
        let name = URL(fileURLWithPath: file).lastPathComponent
        guard let location = MetadataLocation(fileName: name) else { return "not an apt .deb file name (name_version_arch.deb)" }
        let sha256: String
        do {
            sha256 = try ArtifactHash.sha256(ofFileAt: file)
        } catch {
            return "\(error)"
        }
        var links: [Metablock] = []
        var problems: [String] = []
        for rebuilder in rebuilders {
            do {
                links.append(try Metablock(parsing: try fetchMetadata(location, from: rebuilder)))
            } catch {
                problems.append("\(rebuilder): \(error)")
            }
        }
        guard let failure = verification.verify(artifacts: [name: sha256], links: links, now: Date())[0].failure else { return nil }
        return problems.isEmpty ? failure.description : "\(failure); " + problems.joined(separator: "; ")
    }

    private func fetchMetadata(_ location: MetadataLocation, from rebuilder: String) throws -> [UInt8] {
        guard rebuilder.hasPrefix("http://") || rebuilder.hasPrefix("https://") else {
            return try readMetadata(location, below: rebuilder)
        }
        let base = rebuilder.hasSuffix("/") ? String(rebuilder.dropLast()) : rebuilder
        // One HTTP client for the project (libcurl, with the size, time and redirect limits), so a
        // misbehaving rebuilder can neither stall nor exhaust the verifier.
        let limits = FetchLimits(connectTimeout: Self.timeoutSeconds, timeout: Self.timeoutSeconds, maximumBytes: Self.metadataLimit)
        do {
            return try HTTPClient().get("\(base)/\(location.urlPath)", limits: limits)
        } catch {
            throw VerifyError(description: "metadata missing: \(error)")
        }
    }

    private func readMetadata(_ location: MetadataLocation, below directory: String) throws -> [UInt8] {
        for path in location.directoryPaths.map({ "\(directory)/\($0)" }) where FileManager.default.fileExists(atPath: path) {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            guard size <= Self.metadataLimit else { throw VerifyError(description: "\(path): \(size) bytes, over \(Self.metadataLimit)") }
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        throw VerifyError(description: "metadata missing: no \(location.directoryPaths.map { "\(directory)/\($0)" }.joined(separator: " or "))")
    }
}

/// Why a file's metadata could not be had.
struct VerifyError: Error, CustomStringConvertible {
    var description: String
}
