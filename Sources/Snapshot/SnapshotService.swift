import Crypto
import Fetching
import Foundation
import Hexadecimal

/// A client of snapshot.debian.org's machine-readable API (or a private mirror speaking it):
/// finds the exact files of a binary or source package version and downloads them by SHA-1,
/// checking every byte against the hash it was located by. Everything it answers is untrusted:
/// names must be plain file names, sizes and hashes well-formed.
public struct SnapshotService: Sendable {
    /// The base URL, e.g. `https://snapshot.debian.org` (no trailing slash needed).
    public var base: String
    public var client: HTTPClient
    /// For the JSON answers; file downloads are capped at the size the API gave.
    public var answerLimits: FetchLimits

    public init(base: String, client: HTTPClient = HTTPClient(), answerLimits: FetchLimits = FetchLimits(timeout: 120, maximumBytes: 16 << 20)) {
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.client = client
        self.answerLimits = answerLimits
    }

    /// The `.deb` of binary package `name` at `version` built for `architecture` (or for `all`).
    public func binary(_ name: String, version: String, architecture: String) throws(SnapshotError) -> SnapshotFile {
        let subject = "\(name) \(version) (\(architecture))"
        let answer: FileListAnswer = try ask("/mr/binary/\(Self.pathComponent(name))/\(Self.pathComponent(version))/binfiles?fileinfo=1",
                                             subject: subject)
        let matching = answer.result.filter { $0.architecture == architecture } + answer.result.filter { $0.architecture == "all" }
        guard let entry = matching.first else {
            let offered = answer.result.compactMap(\.architecture).joined(separator: ", ")
            throw SnapshotError(.missing, subject: subject, reason: "the snapshot has this version only for \(offered.isEmpty ? "no architecture" : offered)")
        }
        return try file(entry.hash, in: answer, subject: subject, suffix: ".deb")
    }

    /// Every file of source package `source` at `version`: the `.dsc` and what it lists.
    public func sourceFiles(_ source: String, version: String) throws(SnapshotError) -> [SnapshotFile] {
        let subject = "source \(source) \(version)"
        let answer: FileListAnswer = try ask("/mr/package/\(Self.pathComponent(source))/\(Self.pathComponent(version))/srcfiles?fileinfo=1",
                                             subject: subject)
        var files: [SnapshotFile] = []
        for entry in answer.result {
            files.append(try file(entry.hash, in: answer, subject: subject, suffix: nil))
        }
        guard files.contains(where: { $0.name.hasSuffix(".dsc") }) else {
            throw SnapshotError(.missing, subject: subject, reason: "the snapshot lists no .dsc for it")
        }
        return files
    }

    /// The bytes of `file`, refused unless they have its size and SHA-1.
    public func download(_ file: SnapshotFile) throws(SnapshotError) -> [UInt8] {
        let url = "\(base)/file/\(file.sha1)"
        let bytes: [UInt8]
        do {
            bytes = try client.get(url, limits: FetchLimits(timeout: 3600, maximumBytes: file.size))
        } catch {
            throw SnapshotError(error.kind == .notFound ? .missing : .unavailable, subject: file.name, reason: error.description)
        }
        let sha1 = Hex.lowercase(Insecure.SHA1.hash(data: bytes))
        guard bytes.count == file.size, sha1 == file.sha1 else {
            throw SnapshotError(.mismatch, subject: file.name,
                                reason: "\(url) gave \(bytes.count) bytes with SHA-1 \(sha1), not the \(file.size) bytes with SHA-1 \(file.sha1) it was resolved with: refused")
        }
        return bytes
    }

    private func ask<Answer: Decodable>(_ path: String, subject: String) throws(SnapshotError) -> Answer {
        let url = base + path
        let bytes: [UInt8]
        do {
            bytes = try client.get(url, limits: answerLimits)
        } catch {
            throw SnapshotError(error.kind == .notFound ? .missing : .unavailable, subject: subject,
                                reason: error.kind == .notFound ? "not in the snapshot (\(url) answered 404)" : error.description)
        }
        do {
            return try JSONDecoder().decode(Answer.self, from: Data(bytes))
        } catch {
            throw SnapshotError(.malformed, subject: subject, reason: "\(url) did not answer as the API does: \(error)")
        }
    }

    private func file(_ hash: String, in answer: FileListAnswer, subject: String, suffix: String?) throws(SnapshotError) -> SnapshotFile {
        guard hash.utf8.count == 40, hash.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
            throw SnapshotError(.malformed, subject: subject, reason: "the answer's hash \(String(reflecting: String(hash.prefix(80)))) is not a SHA-1")
        }
        guard let info = answer.fileinfo?[hash]?.first else {
            throw SnapshotError(.malformed, subject: subject, reason: "the answer has no fileinfo for \(hash)")
        }
        guard Self.isPlainFileName(info.name), suffix.map({ info.name.hasSuffix($0) }) ?? true, info.size >= 0 else {
            throw SnapshotError(.malformed, subject: subject, reason: "the answer names \(String(reflecting: String(info.name.prefix(200)))) (size \(info.size)) for \(hash)")
        }
        return SnapshotFile(name: info.name, sha1: hash, size: info.size)
    }

    /// Names and versions go into the URL path as they are, `:` (epochs) and anything outside
    /// the characters Debian names use percent-encoded.
    static func pathComponent(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: ".+~_-")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// A name a file may have in a local directory: no path separator, not `.` or `..`, no
    /// leading dot or dash, printable ASCII only.
    public static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255 && !name.hasPrefix(".") && !name.hasPrefix("-")
            && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "\\") }
    }
}

/// The shape of `binfiles` and `srcfiles` answers.
private struct FileListAnswer: Decodable {
    struct Entry: Decodable {
        var hash: String
        var architecture: String?
    }
    struct Info: Decodable {
        var name: String
        var size: Int
    }
    var result: [Entry]
    var fileinfo: [String: [Info]]?
}
