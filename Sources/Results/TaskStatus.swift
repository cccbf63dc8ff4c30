/// Where a task stands, as the results pages publish it: the original PackageRebuilder
/// report's statuses (a FTBFS was its "failure", building its "running", waiting its "pending"),
/// plus `failed` for a task the spool gave up on after its last attempt.
///
/// The declaration order is the order of every chart, table and metric.
public enum TaskStatus: String, Codable, CaseIterable, Sendable {
    case reproducible, unreproducible, ftbfs, retry, building, waiting, failed
}
