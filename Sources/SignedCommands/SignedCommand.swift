import Attestation
import Buildinfo
import Foundation
import RebuilderSettings

/// One command, as its signer wrote it: a single line of ASCII words ending in a UTC timestamp.
///
///     Rebuild <dist-spec> <source> <version> <timestamp>
///     Retry <dist-spec> failed|unreproducible [<source>] <timestamp>
///     Hold <source> <timestamp>
///     Release <source> <timestamp>
///
/// `<timestamp>` is `YYYY-MM-DDTHH:MM:SSZ`. Words are separated by one space; anything else is
/// refused rather than guessed at.
public struct SignedCommand: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case rebuild(spec: String, source: String, version: String)
        case retry(spec: String, scope: RetryScope, source: String?)
        case hold(source: String)
        case release(source: String)
    }

    public enum RetryScope: String, Sendable {
        case failed, unreproducible
    }

    public var action: Action
    /// Seconds since 1970, from the command's timestamp.
    public var timestamp: Double

    public init(action: Action, timestamp: Double) {
        self.action = action
        self.timestamp = timestamp
    }

    /// `Rebuild`, `Retry`, `Hold`, `Release`: the name permissions use.
    public var name: String {
        switch action {
        case .rebuild: "Rebuild"
        case .retry: "Retry"
        case .hold: "Hold"
        case .release: "Release"
        }
    }

    /// The distribution spec the command acts on; nil for Hold and Release, which act on a source
    /// wherever it is built.
    public var spec: String? {
        switch action {
        case .rebuild(let spec, _, _), .retry(let spec, _, _): spec
        case .hold, .release: nil
        }
    }

    /// The signed text (LF line endings): exactly one command line, empty lines around it allowed.
    public init(parsing text: String) throws(CommandRefusal) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count == 1, let line = lines.first else {
            throw CommandRefusal(lines.isEmpty ? "the signed text holds no command" : "the signed text holds \(lines.count) lines; one command is accepted per signature")
        }
        let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard !words.contains(where: \.isEmpty) else { throw CommandRefusal("words must be separated by single spaces") }
        guard words.count >= 2, let stamp = words.last else { throw CommandRefusal("'\(line)' is not a command") }
        // The same strict UTC form as a layout's expiry, read by the same code.
        guard let timestamp = LayoutTime.parse(stamp).map(Double.init) else {
            throw CommandRefusal("'\(stamp)' is not a UTC timestamp such as 2026-12-05T08:00:00Z (the command's last word)")
        }
        let arguments = Array(words.dropFirst().dropLast())
        switch (words[0], arguments.count) {
        case ("Rebuild", 3):
            action = .rebuild(spec: try Self.spec(arguments[0]), source: try Self.source(arguments[1]), version: try Self.version(arguments[2]))
        case ("Retry", 2), ("Retry", 3):
            guard let scope = RetryScope(rawValue: arguments[1]) else {
                throw CommandRefusal("Retry takes failed or unreproducible, not '\(arguments[1])'")
            }
            action = .retry(spec: try Self.spec(arguments[0]), scope: scope, source: arguments.count == 3 ? try Self.source(arguments[2]) : nil)
        case ("Hold", 1):
            action = .hold(source: try Self.source(arguments[0]))
        case ("Release", 1):
            action = .release(source: try Self.source(arguments[0]))
        case ("Rebuild", _), ("Retry", _), ("Hold", _), ("Release", _):
            throw CommandRefusal("\(words[0]) takes \(Self.usage[words[0]]!), not \(arguments.count) word(s)")
        default:
            throw CommandRefusal("unknown command '\(words[0])'; expected Rebuild, Retry, Hold or Release")
        }
        self.timestamp = timestamp
    }

    static let usage = [
        "Rebuild": "<dist-spec> <source> <version> <timestamp>",
        "Retry": "<dist-spec> failed|unreproducible [<source>] <timestamp>",
        "Hold": "<source> <timestamp>",
        "Release": "<source> <timestamp>",
    ]

    /// Debian source package names (Policy 5.6.1), at most 100 bytes.
    static func source(_ word: String) throws(CommandRefusal) -> String {
        guard word.utf8.count <= 100, Names.isPackageName(word) else {
            throw CommandRefusal("'\(word)' is not a source package name")
        }
        return word
    }

    /// Debian versions, as strictly as dpkg's own tools check them.
    static func version(_ word: String) throws(CommandRefusal) -> String {
        do {
            _ = try DebianVersion(validating: word)
        } catch {
            throw CommandRefusal("'\(word)' is not a Debian version: \(error.message)")
        }
        return word
    }

    /// `{suite}+{set}+….{arch}`, as rebuilder.conf writes specs.
    static func spec(_ word: String) throws(CommandRefusal) -> String {
        guard DistributionSpec(parsing: word) != nil else {
            throw CommandRefusal("'\(word)' is not a distribution spec such as bookworm+essential.amd64")
        }
        return word
    }
}
