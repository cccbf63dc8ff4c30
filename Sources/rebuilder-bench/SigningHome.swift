import Foundation
import Glibc
import Synchronization

struct SigningError: Error, CustomStringConvertible {
    var description: String
}

/// A throwaway GnuPG home with one signing key, made with mkdtemp under /tmp: the path must stay
/// short, since gpg-agent's socket lives in it. Every one is registered in `signingHomes` so that
/// an error or an interrupt still stops its agent and removes it.
final class SigningHome: Sendable {
    let path: String
    /// The key's fingerprint, 40 hex digits.
    let fingerprint: String
    /// The key types in-toto's GPG support accepts that the bench offers, fastest first: gpg-agent
    /// signs with Ed25519 in about 1 ms, with RSA-3072 in about 16 ms here.
    static let keyTypes = ["ed25519", "rsa3072"]

    /// Makes the home and its key (`keyType`, sign only, no passphrase, no expiry).
    static func make(keyType: String) throws -> SigningHome {
        var template = Array("/tmp/rb-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw SigningError(description: "cannot make a directory in /tmp: \(String(cString: strerror(errno)))")
        }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        signingHomes.add(path)
        do {
            guard FileManager.default.createFile(atPath: "\(path)/gpg.conf", contents: Data("personal-digest-preferences SHA256\n".utf8)) else {
                throw SigningError(description: "cannot write \(path)/gpg.conf")
            }
            try Tool.run("/usr/bin/gpg", ["--homedir", path, "--batch", "--quiet", "--pinentry-mode", "loopback", "--passphrase", "",
                                          "--quick-gen-key", "Bench <bench@rebuilder.example>", keyType, "sign", "never"])
            let listing = try Tool.run("/usr/bin/gpg", ["--homedir", path, "--batch", "--with-colons", "--list-keys"])
            let fingerprint = listing.split(separator: "\n").first { $0.hasPrefix("fpr:") }
                .map { $0.split(separator: ":", omittingEmptySubsequences: false) }
                .flatMap { $0.count > 9 ? String($0[9]) : nil }
            guard let fingerprint, fingerprint.count == 40 else {
                throw SigningError(description: "no fingerprint in gpg --list-keys of \(path):\n  \(listing)")
            }
            return SigningHome(path: path, fingerprint: fingerprint)
        } catch {
            signingHomes.remove(path)
            throw error
        }
    }

    private init(path: String, fingerprint: String) {
        self.path = path
        self.fingerprint = fingerprint
    }

    /// Stops the home's gpg-agent and removes the home.
    func remove() { signingHomes.remove(path) }
}

/// Every signing home the bench made and has not removed yet.
final class SigningHomeRegistry: Sendable {
    private let paths = Mutex<[String]>([])

    func add(_ path: String) { paths.withLock { $0.append(path) } }

    /// `gpgconf --kill gpg-agent`, then `rm -rf`; only homes this registry holds are touched.
    func remove(_ path: String) {
        let held = paths.withLock { list -> Bool in
            guard let index = list.firstIndex(of: path) else { return false }
            list.remove(at: index)
            return true
        }
        guard held else { return }
        _ = try? Tool.run("/usr/bin/gpgconf", ["--homedir", path, "--kill", "gpg-agent"])
        _ = try? Tool.run("/bin/rm", ["-rf", "--one-file-system", path])
        if access(path, F_OK) == 0 { Progress.note("could not remove \(path)") }
    }

    func removeAll() {
        for path in paths.withLock({ $0 }) { remove(path) }
    }
}

let signingHomes = SigningHomeRegistry()

/// Runs a program to its end, stdin on /dev/null, stdout and stderr together in one pipe.
/// Waits through `terminationHandler`: `Process.waitUntilExit` polls its run loop every 50 ms on
/// Linux, which would add up to 50 ms to every signature timed.
enum Tool {
    /// The program's output; throws it, with the exit status, if the program fails.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            throw SigningError(description: "cannot start \(executable): \(error)")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        exited.wait()
        guard process.terminationReason == .exit && process.terminationStatus == 0 else {
            let how = process.terminationReason == .exit ? "exited with status" : "killed by signal"
            let name = executable.split(separator: "/").last.map(String.init) ?? executable
            throw SigningError(description: "\(name) \(how) \(process.terminationStatus): "
                               + text.split(separator: "\n").suffix(5).joined(separator: " | "))
        }
        return text
    }
}
