import Spool

/// What the build stage keeps in `records/<ID>/` for itself and for the stages after it: the one
/// place these names are written, so no stage finds another's records by a path string.
public enum BuildRecords {
    public static let directory = Stage.build.recordsDirectory
    /// What the backend built (removed by the report stage once published).
    public static let output = "\(directory)/output"
    /// The build directory when the buildinfo names no Build-Path.
    public static let tree = "\(directory)/tree"
    public static let result = "\(directory)/\(RebuildRecord.fileName)"
    /// debrebuild's layout of the differing files.
    public static let summary = "\(directory)/summary.out"
    /// One verdict a line, one line per completed build.
    public static let verdicts = "\(directory)/verdicts"
    /// diffoscope's reports, named relative to `directory` in the result.
    public static let diffoscopeName = "diffoscope"
    public static let diffoscope = "\(directory)/\(diffoscopeName)"
    public static let diffoscopeLog = "\(directory)/diffoscope.log"
    /// The build log.
    public static let log = Stage.build.logName
}

extension TaskRecords {
    /// The build stage's result; nil when the build stage did not record one.
    public func buildResult() throws -> RebuildRecord? {
        try RebuildRecord.decode(read(BuildRecords.result, limit: RebuildRecord.sizeLimit))
    }
}
