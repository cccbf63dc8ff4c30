import ArgumentParser
import RebuilderSettings
import Foundation
import Publishing
import Spool

struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Deliver task files into new/ durably; prints each task's id.",
        discussion: """
        A task is named after its file (e.g. bash_5.1-3+b1_amd64.buildinfo). Submitting the same content \
        again does nothing; another content under a taken name gets a short content hash in its name.
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Task files to submit.")
    var files: [String]

    @Option(help: "The distribution section whose keys apply: debian, qubesos or fedora (default debian).")
    var distribution: String?
    @Option(help: "Where the results are published, relative to [publish] root (default: the distribution's name).")
    var project: String?
    @Option(help: "The distribution spec the tasks belong to, e.g. bookworm+essential.amd64, for the results pages.")
    var dist: String?

    /// The labels every submitted task carries, checked before anything is written.
    private func labels() throws -> TaskLabels {
        let names = TaskOrigin.labelNames
        var values: [String: String] = [:]
        values[names.distribution] = distribution
        values[names.project] = project
        values[names.dist] = dist
        do {
            let labels = try TaskLabels(values)
            _ = try TaskOrigin(labels: labels.values)
            if let distribution, !RebuilderConfiguration.distributions.contains(distribution) {
                throw SubmissionError(description: "--distribution \(distribution): expected one of \(RebuilderConfiguration.distributions.joined(separator: ", "))")
            }
            return labels
        } catch {
            printError("rebuilder: \(error)")
            throw ExitCode(64) // EX_USAGE
        }
    }

    func run() throws {
        let labels = try labels()
        let (configuration, spool) = try global.openSpool(readOnly: false, writing: [.tmp, .new])
        var submissions: [Submission] = []
        var sources: [String] = []
        var refused = 0
        for file in files {
            do {
                var submission = try Submission(file: file, limit: configuration.spool.maxTaskBytes)
                submission.labels = labels
                submissions.append(submission)
                sources.append(file)
            } catch {
                printError("rebuilder: \(file): \(error)")
                refused += 1
            }
        }
        let results: [DeliveryResult]
        do {
            results = try spool.deliver(submissions, durable: configuration.spool.fsync)
        } catch {
            printError("rebuilder: \(error)")
            throw ExitCode(74)
        }
        for (file, result) in zip(sources, results) {
            print(result.id)
            if case .alreadyPresent(let id) = result {
                printError("\(file): identical to task \(id), already in the spool: nothing to do")
            }
        }
        if refused > 0 { throw ExitCode(65) } // EX_DATAERR
    }
}

struct SubmissionError: Error, CustomStringConvertible {
    var description: String
}

extension Submission {
    /// Reads a file to submit, refusing what can never be a task before anything is written.
    init(file: String, limit: Int) throws {
        let url = URL(fileURLWithPath: file)
        let name = url.lastPathComponent
        guard let id = TaskID(name) else {
            throw SubmissionError(description: "'\(name)' cannot name a task: use letters, digits and . + ~ _ - (no leading '-' or '.', no '..')")
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw SubmissionError(description: "not a regular file")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size > 0 else { throw SubmissionError(description: "empty") }
        guard size <= limit else { throw SubmissionError(description: "\(size) bytes, over the limit of \(limit) (max-task-size)") }
        self.init(proposedID: id, content: Array(try Data(contentsOf: url)))
    }
}
