import ArgumentParser
import Logging

@main
struct Rebuilder: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuilder",
        abstract: "Rebuild distribution packages through a filesystem spool and publish what reproduces.",
        subcommands: [InitCommand.self, GetCommand.self, SubmitCommand.self, StatusCommand.self, ShowCommand.self,
                      RetryCommand.self, RecoverCommand.self, StageCommand.self, BackendCommand.self,
                      ResultsCommand.self, LayoutCommand.self, VerifyCommand.self, WebhookCommand.self])

    static func main() {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
