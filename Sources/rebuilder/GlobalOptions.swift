import ArgumentParser
import RebuilderSettings
import Foundation
import Spool

/// Options every command takes: where the configuration is and, overriding it, where the spool is.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default \(RebuilderConfiguration.defaultPath) when it exists).")
    var config: String?

    @Option(name: .long, help: "Spool root, overriding [spool] root.")
    var spool: String?

    /// The configuration: the named file, the default file if present, or the built-in defaults.
    func configuration() throws -> RebuilderConfiguration {
        let path = config ?? (FileManager.default.fileExists(atPath: RebuilderConfiguration.defaultPath) ? RebuilderConfiguration.defaultPath : nil)
        guard let path else { return RebuilderConfiguration() }
        do {
            let loaded = try RebuilderConfiguration.load(path: path)
            for notice in loaded.notices { printError("notice: \(notice)") }
            return loaded
        } catch let error as ConfigurationError {
            printError("rebuilder: \(error)")
            throw ExitCode(78) // EX_CONFIG
        }
    }

    /// `writing`: the spool directories the command changes (every one unless said).
    func openSpool(_ configuration: RebuilderConfiguration, readOnly: Bool,
                   writing: Set<SpoolDirectory> = Set(SpoolDirectory.allCases)) throws -> Spool {
        let settings = configuration.spool
        let spool = Spool(root: self.spool ?? settings.root,
                          policy: RetryPolicy(maxAttempts: settings.maxAttempts, backoffSeconds: settings.backoffSeconds,
                                              maxBackoffSeconds: settings.maxBackoffSeconds))
        do {
            try spool.validate(readOnly: readOnly, writing: writing)
        } catch {
            printError("rebuilder: \(error)")
            throw ExitCode(74) // EX_IOERR
        }
        return spool
    }

    func openSpool(readOnly: Bool, writing: Set<SpoolDirectory> = Set(SpoolDirectory.allCases)) throws -> (RebuilderConfiguration, Spool) {
        let configuration = try configuration()
        return (configuration, try openSpool(configuration, readOnly: readOnly, writing: writing))
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
