import Glibc

/// Counts a directory's entries with one readdir pass: no stat, no names kept.
enum DirectoryCount {
    /// Entries other than dot files (holder records, temporaries); -1 when it cannot be read.
    static func tasks(in path: String) -> Int {
        guard let directory = opendir(path) else { return -1 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            if entry.pointee.d_name.0 != 0x2E { count += 1 }
        }
        return count
    }
}
