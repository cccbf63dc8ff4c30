import Fetching
import Glibc
import Processes
import Spool
import StageDaemon
import UntrustedText

/// Sends one finish's summary to one receiver, within the timeout: a POST through the project's
/// HTTP client (no redirects: a redirected POST would arrive as a GET), or the command with the
/// summary file as its standard input. It only reports how that went; what follows (a retry, a
/// give-up) is the delivery record's. One sender per worker thread: its HTTP client does one
/// request at a time.
public final class NotificationSender: Sendable {
    let timeoutSeconds: Double
    private let client = HTTPClient(userAgent: "PackageRebuilder notify")

    public init(timeoutSeconds: Double) {
        self.timeoutSeconds = timeoutSeconds
    }

    /// Output a command may write before it is stopped (it is not kept, only its last line of
    /// standard error is, for the reason).
    static let commandOutputLimit = 1 << 20

    public func send(_ finish: Finish, of records: TaskRecords, to receiver: Receiver) -> DeliveryOutcome {
        let summary = NotificationRecords.summary(finish)
        switch receiver {
        case .url(let url):
            do {
                guard let bytes = try records.read(summary) else { return .failed(reason: "no summary at \(records.path(summary))") }
                let limits = FetchLimits(connectTimeout: timeoutSeconds, timeout: timeoutSeconds, maximumBytes: 0, maximumRedirects: 0)
                try client.post(url, bytes: bytes, contentType: "application/json", limits: limits)
                return .delivered
            } catch let error as FetchError {
                return .failed(reason: error.reason)
            } catch {
                return .failed(reason: "\(error)")
            }
        case .command(let words):
            let input: Int32
            do {
                input = try records.openForReading(summary)
            } catch {
                return .failed(reason: "\(error)")
            }
            defer { close(input) }
            let environment = ProcessEnvironment.inherited + ["REBUILDER_TASK_ID=\(records.id)", "REBUILDER_FINISH=\(finish.key)"]
            let result: ChildProcess.Result
            do {
                result = try ChildProcess.run(words[0], Array(words.dropFirst()), environment: environment, timeout: timeoutSeconds,
                                              maximumOutput: Self.commandOutputLimit, stdin: input)
            } catch {
                return .failed(reason: error.description)
            }
            let lastLine = String(decoding: result.stderr, as: UTF8.self).split(separator: "\n").last
                .map { ": " + UntrustedText.escaped($0, shown: .visibleUnicode, limit: 200) } ?? ""
            switch result.termination {
            case .exited(0): return .delivered
            case .exited(let code): return .failed(reason: "the command exited with status \(code)\(lastLine)")
            case .signalled(let signal): return .failed(reason: "the command was killed by signal \(signal)\(lastLine)")
            case .timedOut: return .failed(reason: "the command timed out after \(timeoutSeconds) s\(lastLine)")
            case .outputTooLarge: return .failed(reason: "the command wrote more than \(Self.commandOutputLimit) bytes and was stopped")
            case .unknown(let why): return .failed(reason: "the command's end is unknown: \(why)")
            }
        }
    }
}
