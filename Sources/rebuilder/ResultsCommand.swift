import ArgumentParser
import ReportStage

struct ResultsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "Regenerate the results (JSON, HTML page, Prometheus textfile) from the spool now.",
        discussion: "The report stage does this after a task when the results are older than schedule_generate_results; a timer runs this command for the quiet times.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only this project (e.g. debian); repeatable. Default: every project.")
    var project: [String] = []

    func run() throws {
        let (configuration, spool) = try global.openSpool(readOnly: true)
        let generation = ResultsGeneration(configuration: configuration, spool: spool.reader)
        do {
            for (project, tasks) in try generation.generate(projects: project.isEmpty ? nil : Set(project)) {
                print("\(project): \(tasks) tasks → \(generation.publishedRoot)/\(project)/results/index.html")
            }
        } catch {
            printError("rebuilder: results: \(error)")
            throw ExitCode(74)
        }
    }
}
