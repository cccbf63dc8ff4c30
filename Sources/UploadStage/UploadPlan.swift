import Foundation
import Publishing
import RemoteShell
import Spool

/// The two rsync runs that bring a project's tree to its remote host so that the remote never has
/// a link pointing at a missing file, whenever a run is cut short:
/// 1. every regular file, but no symbolic link (`--no-links`), each put in place by rename as
///    rsync does, and all renamed at the end (`--delay-updates`);
/// 2. only the symbolic links that existed before run 1 began: their targets were written before
///    them (the attest stage writes a link's target first), so run 1 carried the targets over.
/// Links made since wait for the next upload. Nothing is deleted on the remote: the tree only
/// grows, and files that change (merged links, results) are replaced whole.
struct UploadPlan {
    var source: String
    var remote: UploadSettings.Remote
    var project: ProjectPath

    var destination: String { "\(remote.connection.destination):\(remote.basedir)/\(project)/" }

    /// The tree's symbolic links, relative to it, hidden names (temporary files, locks) skipped.
    func symbolicLinks() throws -> [String] {
        var found: [String] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let directory = relative.isEmpty ? source : "\(source)/\(relative)"
            for name in try FileManager.default.contentsOfDirectory(atPath: directory) where !name.hasPrefix(".") {
                let path = relative.isEmpty ? name : "\(relative)/\(name)"
                var status = stat()
                guard lstat("\(source)/\(path)", &status) == 0 else { continue }
                switch status.st_mode & S_IFMT {
                case S_IFLNK: found.append(path)
                case S_IFDIR: pending.append(path)
                default: break
                }
            }
        }
        return found.sorted()
    }

    private var common: [String] {
        ["rsync", "--recursive", "--times", "--delay-updates", "--mkpath", "--exclude=.*"] + remote.connection.rsyncRemoteShell
    }

    var filesRun: [String] { common + ["--no-links", source + "/", destination] }

    func linksRun(listFile: String) -> [String] {
        common + ["--links", "--files-from=\(listFile)", source + "/", destination]
    }
}
