import Glibc
import Spool

/// Where a job runs and where its output goes, both opened beneath the task's records without
/// following a link: the job is started in the directory through its descriptor, and its log is
/// appended through its descriptor, so nothing planted in `records/<ID>/` redirects either.
public final class JobFiles: @unchecked Sendable {
    public let directory: Int32
    public let log: Int32

    /// `directory` (created when missing) and `log`, names inside the task's records.
    public init(_ records: TaskRecords, directory: String, log: String) throws {
        try records.makeDirectory(directory)
        self.directory = try records.openDirectory(directory)
        do {
            self.log = try records.openForAppending(log)
        } catch {
            close(self.directory)
            throw error
        }
    }

    deinit {
        close(directory)
        close(log)
    }
}
