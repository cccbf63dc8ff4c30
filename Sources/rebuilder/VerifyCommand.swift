import ArgumentParser
import Attestation
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
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
        guard let url = URL(string: "\(base)/\(location.urlPath)") else { throw FetchError(description: "cannot form a URL from \(base)") }
        return try BoundedDownload.get(url, limit: Self.metadataLimit, timeout: Self.timeoutSeconds)
    }

    private func readMetadata(_ location: MetadataLocation, below directory: String) throws -> [UInt8] {
        for path in location.directoryPaths.map({ "\(directory)/\($0)" }) where FileManager.default.fileExists(atPath: path) {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            guard size <= Self.metadataLimit else { throw FetchError(description: "\(path): \(size) bytes, over \(Self.metadataLimit)") }
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        throw FetchError(description: "metadata missing: no \(location.directoryPaths.map { "\(directory)/\($0)" }.joined(separator: " or "))")
    }
}

struct FetchError: Error, CustomStringConvertible {
    var description: String
}

/// One HTTP GET that gives up past `limit` bytes or `timeout` seconds, so a misbehaving rebuilder
/// cannot stall or exhaust the verifier.
private final class BoundedDownload: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let limit: Int
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var received = Data()
    private var problem: String?

    private init(limit: Int) { self.limit = limit }

    static func get(_ url: URL, limit: Int, timeout: TimeInterval) throws -> [UInt8] {
        let download = BoundedDownload(limit: limit)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration, delegate: download, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: url).resume()
        download.finished.wait()
        return try download.lock.withLock {
            if let problem = download.problem { throw FetchError(description: "metadata missing: \(url.absoluteString): \(problem)") }
            return Array(download.received)
        }
    }

    private func fail(_ reason: String, _ task: URLSessionTask) {
        lock.withLock { if problem == nil { problem = reason } }
        task.cancel()
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        if status != 200 {
            fail("HTTP status \(status)", dataTask)
            completionHandler(.cancel)
        } else if response.expectedContentLength > Int64(limit) {
            fail("\(response.expectedContentLength) bytes, over \(limit)", dataTask)
            completionHandler(.cancel)
        } else {
            completionHandler(.allow)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let tooBig = lock.withLock {
            received.append(data)
            return received.count > limit
        }
        if tooBig { fail("more than \(limit) bytes", dataTask) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if let error { lock.withLock { if problem == nil { problem = error.localizedDescription } } }
        finished.signal()
    }
}
