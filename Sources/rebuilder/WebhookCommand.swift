import ArgumentParser
import RebuilderSettings
import FileSystem
import Foundation
import Webhooks

struct WebhookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Receive GitHub and GitLab webhooks ([webhook]): a push asks the get stage for a run, a comment's clearsigned block goes to the commands inbox.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let (configuration, spool) = try global.openSpool(readOnly: true)
        let section = configuration.webhook
        var secrets: [Forge: [UInt8]] = [:]
        for (forge, file) in [(Forge.github, section.githubSecretFile), (.gitlab, section.gitlabTokenFile)] {
            guard let file else { continue }
            guard var secret = FileManager.default.contents(atPath: file).map(Array.init) else {
                throw configurationProblem("[webhook] \(forge.rawValue): cannot read \(file)")
            }
            while secret.last == 0x0A || secret.last == 0x0D { secret.removeLast() }
            guard !secret.isEmpty else { throw configurationProblem("[webhook] \(forge.rawValue): \(file) is empty") }
            secrets[forge] = secret
        }
        guard !secrets.isEmpty else { throw configurationProblem("[webhook] needs github-secret-file or gitlab-token-file") }
        let requests = "\(spool.root)/get/requests"
        let ledger: SightingLedger
        do {
            for directory in [requests, configuration.commands.inbox] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            try FileManager.default.createDirectory(atPath: section.state, withIntermediateDirectories: true)
            // Deliveries kept a month: GitHub redelivers by hand, within days.
            ledger = try SightingLedger(directory: section.state + "/deliveries", keepSeconds: 30 * 86_400, durable: false)
        } catch {
            throw configurationProblem("[webhook]: \(error)")
        }
        let receiver = WebhookReceiver(settings: .init(
            host: section.host, port: section.port, secrets: secrets, maximumBodyBytes: section.maximumBodyBytes, specs: section.specs,
            requests: requests, commandInbox: configuration.commands.inbox, ledger: ledger)) { printError("webhook: \($0)") }
        let finished = DispatchSemaphore(value: 0)
        let failure = LockedFailure()
        Task {
            do {
                try await receiver.run { port in printError("webhook: listening on \(section.host):\(port)") }
            } catch {
                failure.set("\(error)")
            }
            finished.signal()
        }
        finished.wait()
        if let why = failure.get() {
            printError("rebuilder: webhook: \(why)")
            throw ExitCode(70)
        }
    }

    private func configurationProblem(_ message: String) -> Error {
        printError("rebuilder: \(global.config ?? RebuilderConfiguration.defaultPath): \(message)")
        return ExitCode(78)
    }
}

/// The receiver's error, handed from its task to the command's thread.
private final class LockedFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var reason: String?
    func set(_ text: String) { lock.withLock { reason = text } }
    func get() -> String? { lock.withLock { reason } }
}
