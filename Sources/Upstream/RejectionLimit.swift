/// A listing mostly made of bad entries is not a listing with a few bad entries: it is the wrong
/// file, a changed format or an attack, and scheduling its few "good" lines would hide that.
enum RejectionLimit {
    /// Throws when more than half of `entries` were rejected, quoting the first rejection.
    static func check(rejected: [RejectedEntry], entries: Int, kind: String, source: String) throws(UpstreamError) {
        guard entries > 0, rejected.count * 2 > entries, let first = rejected.first else { return }
        throw UpstreamError(
            source: source,
            reason: "\(rejected.count) of \(entries) entries rejected, not \(kind) "
                + "(first: line \(first.line): \(first.reason))")
    }
}
