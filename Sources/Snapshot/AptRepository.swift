import Crypto
import Fetching
import Foundation
import Hexadecimal
import Processes

/// An apt repository consulted for packages the snapshot service lacks (Qubes OS's own packages,
/// a mirror that still has a version): `deb [signed-by=KEYRING] URL SUITE COMPONENT...`, or a flat
/// repository `deb [signed-by=KEYRING] URL ./`. Its `InRelease` must verify against that keyring
/// (gpgv); the `Packages` index must match the SHA-256 the signed Release gives; every package
/// downloaded must match the SHA-256 and size the index gives.
public struct AptRepository: Sendable, Equatable {
    public var url: String
    public var suite: String
    public var components: [String]
    public var keyring: String
    /// The line as configured, for messages.
    public var line: String

    /// Parses one repository line; nil with `problem` set when it is not one.
    public init(line: String) throws(SnapshotError) {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        func refuse(_ why: String) -> SnapshotError { SnapshotError(.malformed, subject: "repository line \(String(reflecting: line))", reason: why) }
        guard words.first == "deb", words.count >= 4, words[1].hasPrefix("[signed-by="), words[1].hasSuffix("]") else {
            throw refuse("expected `deb [signed-by=KEYRING] URL SUITE [COMPONENT...]`")
        }
        keyring = String(words[1].dropFirst("[signed-by=".count).dropLast())
        url = words[2].hasSuffix("/") ? String(words[2].dropLast()) : words[2]
        suite = words[3]
        components = Array(words.dropFirst(4))
        guard keyring.hasPrefix("/"), url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw refuse("the keyring must be an absolute path and the URL http or https")
        }
        guard (suite == "./") == components.isEmpty, !suite.contains(".."), components.allSatisfy({ !$0.contains("/") && !$0.contains("..") }) else {
            throw refuse("a flat repository is `URL ./` without components; a suite needs at least one")
        }
        self.line = line
    }

    /// A package file the repository's verified index lists.
    public struct Entry: Sendable, Equatable {
        public var filename: String
        public var sha256: String
        public var size: Int
    }

    /// Package → version → architecture → entry, from the verified indexes for `architecture` (and all).
    public func index(architecture: String, client: HTTPClient, scratch: String) throws(SnapshotError) -> [String: [String: [String: Entry]]] {
        let base = suite == "./" ? url : "\(url)/dists/\(suite)"
        let release = try verifiedRelease(base: base, client: client, scratch: scratch)
        var sums: [String: (String, Int)] = [:]
        var inSHA256 = false
        for line in release.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") { inSHA256 = line.hasPrefix("SHA256:"); continue }
            guard inSHA256 else { continue }
            let fields = line.split(separator: " ")
            if fields.count == 3, let size = Int(fields[1]) { sums[String(fields[2])] = (String(fields[0]), size) }
        }
        var index: [String: [String: [String: Entry]]] = [:]
        let lists = suite == "./" ? [""] : components.flatMap { component in [architecture, "all"].map { "\(component)/binary-\($0)/" } }
        for list in lists {
            let candidates = ["\(list)Packages.xz", "\(list)Packages"]
            guard let name = candidates.first(where: { sums[$0] != nil }), let (digest, size) = sums[name] else { continue }
            var bytes = try fetch("\(base)/\(name)", sha256: digest, size: size, client: client)
            if name.hasSuffix(".xz") {
                do {
                    bytes = try XZ.decompress(bytes, maximumBytes: 1 << 30, source: "\(base)/\(name)")
                } catch {
                    throw SnapshotError(.malformed, subject: line, reason: "\(error)")
                }
            }
            for stanza in String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n\n") {
                var fields: [String: String] = [:]
                for row in stanza.split(separator: "\n") where !row.hasPrefix(" ") {
                    guard let colon = row.firstIndex(of: ":") else { continue }
                    fields[String(row[..<colon])] = row[row.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                guard let package = fields["Package"], let version = fields["Version"], let arch = fields["Architecture"],
                      let filename = fields["Filename"], let sha256 = fields["SHA256"], let size = fields["Size"].flatMap(Int.init),
                      !filename.hasPrefix("/"), !filename.split(separator: "/").contains("..") else { continue }
                index[package, default: [:]][version, default: [:]][arch] = Entry(filename: filename, sha256: sha256, size: size)
            }
        }
        return index
    }

    /// The bytes of `entry`, refused unless they have its size and SHA-256.
    public func download(_ entry: Entry, client: HTTPClient) throws(SnapshotError) -> [UInt8] {
        try fetch("\(url)/\(entry.filename)", sha256: entry.sha256, size: entry.size, client: client)
    }

    private func fetch(_ address: String, sha256: String, size: Int, client: HTTPClient) throws(SnapshotError) -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try client.get(address, limits: FetchLimits(timeout: 3600, maximumBytes: size))
        } catch {
            throw SnapshotError(error.kind == .notFound ? .missing : .unavailable, subject: address, reason: error.description)
        }
        let digest = Hex.lowercase(SHA256.hash(data: bytes))
        guard bytes.count == size, digest == sha256 else {
            throw SnapshotError(.mismatch, subject: (address as NSString).lastPathComponent,
                                reason: "\(address) gave \(bytes.count) bytes with SHA-256 \(digest), not the \(size) bytes with \(sha256) the signed index gives: refused")
        }
        return bytes
    }

    /// InRelease's signed text, after gpgv verified it against the keyring.
    private func verifiedRelease(base: String, client: HTTPClient, scratch: String) throws(SnapshotError) -> String {
        let address = "\(base)/InRelease"
        let signed: [UInt8]
        do {
            signed = try client.get(address, limits: FetchLimits(timeout: 300, maximumBytes: 64 << 20))
        } catch {
            throw SnapshotError(error.kind == .notFound ? .missing : .unavailable, subject: address, reason: error.description)
        }
        let path = "\(scratch)/InRelease.\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: path, contents: Data(signed)) else {
            throw SnapshotError(.unavailable, subject: address, reason: "cannot write \(path)")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run("gpgv", ["--keyring", keyring, "--output", "-", path], environment: ["PATH=/usr/bin:/bin"],
                                          timeout: 60, maximumOutput: 64 << 20)
        } catch {
            throw SnapshotError(.unavailable, subject: address, reason: "\(error)")
        }
        guard result.termination == .exited(0) else {
            throw SnapshotError(.mismatch, subject: address,
                                reason: "its signature does not verify against \(keyring): refused (\(String(decoding: result.stderr.suffix(300), as: UTF8.self)))")
        }
        return String(decoding: result.stdout, as: UTF8.self)
    }
}
