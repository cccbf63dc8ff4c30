import Spool

/// Task names and contents the bench submits: buildinfo-like text of a realistic size.
enum TaskContent {
    /// `prefix-000123_1.0-1_amd64.buildinfo`
    static func id(_ prefix: String, _ index: Int, width: Int = 6) -> TaskID {
        let number = String(index)
        let padded = String(repeating: "0", count: max(0, width - number.count)) + number
        return TaskID("\(prefix)-\(padded)_1.0-1_amd64.buildinfo")!
    }

    /// About `size` bytes of a .buildinfo for the task, distinct per task.
    static func buildinfo(for id: TaskID, index: Int, size: Int = 6144) -> [UInt8] {
        let source = id.rawValue.split(separator: "_").first.map(String.init) ?? id.rawValue
        var text = """
        Format: 1.0
        Source: \(source)
        Binary: \(source)
        Architecture: amd64
        Version: 1.0-1
        Checksums-Sha256:
         \(artifact(index: index).sha256) \(artifact(index: index).size) \(source)_1.0-1_amd64.deb
        Build-Origin: Debian
        Build-Architecture: amd64
        Build-Date: Sat, 21 Nov 2026 20:00:00 +0000
        Build-Path: /build/reproducible-path/\(source)-1.0
        Installed-Build-Depends:

        """
        // At least one dependency, the last one without the separating comma, as dpkg writes them.
        var dependency = 0
        repeat {
            if dependency > 0 { text += ",\n" }
            text += " libbench\(dependency)-dev (= \(dependency % 7).\(dependency % 13).\(index % 97)-1)"
            dependency += 1
        } while text.utf8.count < size - 40
        text += "\nEnvironment:\n LANG=\"C.UTF-8\"\n"
        return Array(text.utf8)
    }

    /// A small task of about `size` bytes, for the backlog.
    static func small(index: Int, size: Int = 200) -> [UInt8] {
        var text = "Format: 1.0\nSource: scale-\(index)\nVersion: 1.0-1\nArchitecture: amd64\n"
        while text.utf8.count < size - 1 { text += "#" }
        return Array((text + "\n").utf8)
    }

    /// The sha256 the buildinfo of task `index` lists for its one .deb, and that .deb's size.
    static func artifact(index: Int) -> (sha256: String, size: Int) { (hexDigits(index, 64), 10_000 + index) }

    private static func hexDigits(_ seed: Int, _ count: Int) -> String {
        var state = UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        var result = ""
        while result.count < count {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            result += String(state, radix: 16)
        }
        return String(result.prefix(count))
    }
}
