import Buildinfo
import Foundation
import Testing

/// A snapshot service on 127.0.0.1: a static tree made by scripts/snapshot-tree over a few of the
/// real Debian packages scripts/setup downloaded, and a tiny source package, served by the tests'
/// web server (which, like snapshot.debian.org, ignores `?fileinfo=1` and answers 404 for what it lacks).
final class SnapshotFixture {
    let directory: TemporaryDirectory
    let tree: String
    let server: UpstreamServer
    /// name → (version, file) of the packages in the tree.
    let packages: [(name: String, version: String, file: String)]
    var base: String { "http://127.0.0.1:\(server.port)" }

    static let packageRoot: String = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" && !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            directory.deleteLastPathComponent()
        }
        return directory.path
    }()

    /// The downloaded packages of scripts/setup (a bookworm buildd environment's .debs).
    static var debs: String { packageRoot + "/.build-snapshot/debs" }

    init(packageNames: [String] = ["libtext-glob-perl", "libnumber-compare-perl", "base-passwd"]) throws {
        directory = try TemporaryDirectory()
        tree = directory.path + "/tree"
        let available = try #require(try? FileManager.default.contentsOfDirectory(atPath: Self.debs),
                                     "\(Self.debs) is missing: run scripts/setup, which downloads the packages these tests serve")
        var chosen: [(String, String, String)] = []
        for name in packageNames {
            let file = try #require(available.first { $0.hasPrefix(name + "_") }, "\(name) is not among \(Self.debs)")
            let version = try Self.run(["dpkg-deb", "-f", "\(Self.debs)/\(file)", "Version"]).trimmingCharacters(in: .whitespacesAndNewlines)
            chosen.append((name, version, "\(Self.debs)/\(file)"))
        }
        packages = chosen
        let tarball = try directory.write("source/tiny_1.0.tar.xz", Array("not really a tarball\n".utf8))
        let tarballBytes = try Data(contentsOf: URL(fileURLWithPath: tarball))
        let sha256 = try Self.run(["sha256sum", tarball]).split(separator: " ")[0]
        let md5 = try Self.run(["md5sum", tarball]).split(separator: " ")[0]
        try directory.write("source/tiny_1.0.dsc", """
            Format: 3.0 (native)
            Source: tiny
            Binary: tiny
            Architecture: all
            Version: 1.0
            Checksums-Sha256:
             \(sha256) \(tarballBytes.count) tiny_1.0.tar.xz
            Files:
             \(md5) \(tarballBytes.count) tiny_1.0.tar.xz

            """)
        _ = try Self.run([Self.packageRoot + "/scripts/snapshot-tree", tree, directory.path + "/source/tiny_1.0.dsc"] + chosen.map(\.2))
        server = try UpstreamServer(serving: tree)
    }

    /// A buildinfo of the tiny source naming `packages` as its Installed-Build-Depends.
    func buildinfo(installing packages: [(name: String, version: String)]? = nil) throws -> Buildinfo {
        let wanted = packages ?? self.packages.map { ($0.name, $0.version) }
        return Buildinfo(
            format: "1.0", source: "tiny", sourceVersion: try DebianVersion("1.0"), version: try DebianVersion("1.0"),
            binaries: ["tiny"], architectures: ["all"],
            checksumsSha256: [ArtifactChecksum(digest: String(repeating: "0", count: 64), size: 1, name: "tiny_1.0_all.deb")],
            buildArchitecture: "amd64",
            installedBuildDepends: try wanted.map { PackageVersion(name: $0.name, version: try DebianVersion($0.version)) })
    }

    /// The SHA-1 the tree locates the package by.
    func sha1(of name: String) throws -> String {
        let file = try #require(packages.first { $0.name == name }).file
        return String(try Self.run(["sha1sum", file]).split(separator: " ")[0])
    }

    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FixtureFailure("\(arguments.joined(separator: " ")) exited \(process.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }
}

struct FixtureFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
