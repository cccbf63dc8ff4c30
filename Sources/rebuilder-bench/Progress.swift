import Glibc

/// Progress for the person waiting, on stderr, so that stdout holds only the results.
enum Progress {
    static func note(_ message: String) {
        let bytes = Array(("[bench] " + message + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
