import RebuilderSettings
import Foundation
import Glibc
import Spool

/// Who owns what when each stage runs as its own user: the one table `rebuilder init --owners`
/// applies and spool-layout.md ("Owners") documents. A stage can rename into a directory only
/// when it is that directory's owner or in its group; the build user (`<prefix>-builder`) is in
/// none of the spool's groups, so it reaches only its task file and its own build directory by name.
struct Ownership {
    struct Entry: Equatable {
        var path: String
        var owner: String
        var group: String
        var mode: mode_t
        /// Applied to everything below too (homes and trees one user keeps).
        var recursive = false
    }

    let prefix: String
    var group: String { prefix }
    func user(_ role: String) -> String { "\(prefix)-\(role)" }

    func entries(_ configuration: RebuilderConfiguration, spool: Spool) -> [Entry] {
        func directory(_ name: SpoolDirectory) -> String { spool.path(name) }
        var entries = [
            Entry(path: spool.root, owner: "root", group: group, mode: 0o751),
            Entry(path: directory(.tmp), owner: user("get"), group: user("build"), mode: 0o770),
            Entry(path: directory(.new), owner: user("build"), group: user("get"), mode: 0o775),
            Entry(path: directory(.building), owner: user("build"), group: group, mode: 0o751),
            Entry(path: directory(.attesting), owner: user("attest"), group: user("build"), mode: 0o775),
            Entry(path: directory(.reporting), owner: user("report"), group: user("attest"), mode: 0o775),
            Entry(path: directory(.uploading), owner: user("upload"), group: user("report"), mode: 0o775),
            // The commands stage requeues from here (Retry unreproducible, Rebuild).
            Entry(path: directory(.uploaded), owner: user("upload"), group: user("commands"), mode: 0o775),
            Entry(path: directory(.failed), owner: "root", group: group, mode: 0o775),
            Entry(path: spool.recordsPath, owner: "root", group: group, mode: 0o2771),
            Entry(path: spool.root + "/get", owner: user("get"), group: group, mode: 0o755),
            Entry(path: spool.root + "/expected", owner: user("get"), group: group, mode: 0o755),
            // Get requests come from the webhook receiver and the commands stage (group -requests).
            Entry(path: spool.root + "/get/requests", owner: user("get"), group: user("requests"), mode: 0o2770),
            // Held sources: the commands stage writes them, the build stage reads them.
            Entry(path: Holds(spool: spool).directory, owner: user("commands"), group: group, mode: 0o755),
            // The webhook receiver may only drop files into the inbox, not read what others sent.
            Entry(path: configuration.commands.directory, owner: user("commands"), group: user("commands"), mode: 0o751, recursive: true),
            Entry(path: configuration.commands.inbox, owner: user("commands"), group: user("webhook"), mode: 0o730),
            Entry(path: configuration.webhook.state, owner: user("webhook"), group: user("webhook"), mode: 0o700, recursive: true),
            Entry(path: configuration.publish.root, owner: user("attest"), group: user("report"), mode: 0o2775, recursive: true),
            Entry(path: configuration.publish.gnupgHome, owner: user("attest"), group: user("attest"), mode: 0o700, recursive: true),
            Entry(path: (configuration.settings(for: .build).rebuild ?? RebuildStageSettings()).cache, owner: user("builder"),
                  group: user("builder"), mode: 0o755, recursive: true),
        ]
        if let keyring = configuration.commands.keyring {
            entries.append(Entry(path: keyring, owner: user("commands"), group: user("commands"), mode: 0o700, recursive: true))
        }
        if let keeper = configuration.logKeeper {
            entries += [
                Entry(path: keeper.directory, owner: user("logkeeper"), group: user("attest"), mode: 0o2750, recursive: true),
                Entry(path: keeper.gnupgHome, owner: user("logkeeper"), group: user("logkeeper"), mode: 0o700, recursive: true),
                Entry(path: keeper.keyring, owner: user("attest"), group: user("attest"), mode: 0o700, recursive: true),
                Entry(path: (keeper.socket as NSString).deletingLastPathComponent, owner: user("logkeeper"), group: user("build"), mode: 0o2750),
            ]
        }
        return entries
    }

    /// Creates what is missing and sets owners and modes; the first problem ends it.
    func apply(_ entries: [Entry]) throws(OwnershipError) {
        for entry in entries {
            guard let owner = entry.owner == "root" ? 0 : getpwnam(entry.owner)?.pointee.pw_uid else {
                throw OwnershipError(path: entry.path, reason: "no user \(entry.owner) (see systemd/sysusers.d/rebuilder.conf)")
            }
            guard let group = getgrnam(entry.group)?.pointee.gr_gid else {
                throw OwnershipError(path: entry.path, reason: "no group \(entry.group) (see systemd/sysusers.d/rebuilder.conf)")
            }
            do {
                try FileManager.default.createDirectory(atPath: entry.path, withIntermediateDirectories: true)
            } catch {
                throw OwnershipError(path: entry.path, reason: "cannot create it: \(error)")
            }
            var paths = [entry.path]
            if entry.recursive, let below = FileManager.default.enumerator(atPath: entry.path) {
                paths += below.compactMap { $0 as? String }.map { "\(entry.path)/\($0)" }
            }
            for path in paths {
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                let isDirectory = info.st_mode & S_IFMT == S_IFDIR
                let mode = path == entry.path ? entry.mode
                    // Below: directories like the top, files without the execute and setgid bits unless they had execute.
                    : isDirectory ? entry.mode : (entry.mode & 0o666) | (info.st_mode & 0o100)
                guard lchown(path, owner, group) == 0 else {
                    throw OwnershipError(path: path, reason: "chown \(entry.owner):\(entry.group): \(String(cString: strerror(errno)))")
                }
                if info.st_mode & S_IFMT != S_IFLNK, chmod(path, mode) != 0 {
                    throw OwnershipError(path: path, reason: "chmod \(String(mode, radix: 8)): \(String(cString: strerror(errno)))")
                }
            }
        }
    }
}

struct OwnershipError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "\(path): \(reason)" }
}
