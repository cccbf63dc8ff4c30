import Foundation

/// Identity and modification time of a home's public keyring files. gpg replaces `pubring.kbx` (or rewrites
/// `pubring.gpg`) whenever a key changes, e.g. when a revocation is imported, so a different stamp means the
/// key listing must be read again. One `stat` per file: cheap enough for every signature.
struct KeyringStamp: Equatable, Sendable {
    private var files: [[Int]]

    init(home: String) {
        files = ["pubring.kbx", "pubring.gpg"].map { name in
            var info = stat()
            guard stat(home + "/" + name, &info) == 0 else { return [] }
            return [
                Int(info.st_dev), Int(info.st_ino), Int(info.st_size), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec),
            ]
        }
    }
}
