#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a configuration file from disk into text, with errors that name the file.
/// POSIX calls rather than Foundation so that the reason (errno) reaches the operator.
enum ConfigurationFile {
    static func readText(path: String) throws -> String {
        try decodeUTF8(readBytes(path: path), path: path)
    }

    static func readBytes(path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ConfigurationError(path: path, line: nil, message: "cannot open: \(systemErrorDescription(errno))")
        }
        defer { close(descriptor) }

        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw ConfigurationError(path: path, line: nil, message: "cannot read: \(systemErrorDescription(code))")
            }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }

    /// Rejects anything that is not UTF-8 instead of silently replacing bad bytes:
    /// a mangled key fingerprint or path would otherwise surface much later, far from its cause.
    static func decodeUTF8(_ bytes: [UInt8], path: String) throws -> String {
        // "\n" never occurs inside a multi-byte UTF-8 sequence, so checking line by line
        // finds the line of the first bad byte.
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
        where !isValidUTF8(line) {
            throw ConfigurationError(
                path: path, line: index + 1,
                message: "the file is not valid UTF-8 text; save it as UTF-8")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    private static func systemErrorDescription(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
