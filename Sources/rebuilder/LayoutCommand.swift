import ArgumentParser
import Attestation
import Foundation
import OpenPGP

struct LayoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layout",
        abstract: "Write an unsigned in-toto root layout trusting rebuilder keys, for apt-transport-in-toto.",
        discussion: """
        The layout is apt-transport-in-toto's root layout: a step 'rebuild' whose links, signed by the \
        given rebuilder keys (or their signing subkeys), must create each .deb, and an inspection matching \
        every downloaded .deb against those links' products. The owner then signs it, e.g. \
        'in-toto-sign -f root.layout --gpg OWNERKEY', and ships it with its public key to clients.
        """)

    @Option(name: .customLong("key"), help: "Fingerprint of a rebuilder key allowed to sign links (repeatable).")
    var keys: [String] = []

    @Option(help: "How many distinct rebuilders must have signed agreeing links.")
    var threshold: Int

    @Option(help: "GnuPG home holding the rebuilder public keys.")
    var keyring: String

    @Option(help: "Days until the layout expires.")
    var expires: Int = 365

    @Option(help: "Where to write the layout (default: standard output).")
    var output: String?

    func validate() throws {
        guard !keys.isEmpty else { throw ValidationError("give at least one --key") }
        guard (1...keys.count).contains(threshold) else { throw ValidationError("--threshold must be between 1 and the number of keys (\(keys.count))") }
        guard expires > 0 else { throw ValidationError("--expires must be a positive number of days") }
    }

    func run() throws {
        var exported: [GPGKey] = []
        do {
            let exporter = try KeyExporter(home: keyring)
            for fingerprint in keys { exported.append(GPGKey(exported: try exporter.export(fingerprint: fingerprint))) }
        } catch {
            printError("rebuilder: \(error)")
            throw ExitCode(66) // EX_NOINPUT
        }
        let expiry = Int(Date().timeIntervalSince1970) + expires * 86_400
        let bytes = RebuildLayout(keys: exported, threshold: threshold, expires: expiry).metablock.fileBytes
        guard let output else {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            printError("rebuilder: \(output): \(error.localizedDescription)")
            throw ExitCode(73) // EX_CANTCREAT
        }
    }
}
