import Foundation
import Spool

/// `get/requests/`: files asking the get stage for an early run of some specs.
public struct GetRequests: Sendable {
    let directory: String

    public init(spool: Spool) { directory = "\(spool.root)/get/requests" }

    /// The specs asked for (empty when some file asks for all) and the files read.
    public func pending() -> (specs: Set<String>, files: [String]) {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { !$0.hasPrefix(".") }
        var specs: Set<String> = []
        for file in files {
            let words = ((try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace)
            if words.isEmpty { return ([], files) }
            specs.formUnion(words.map(String.init))
        }
        return (specs, files)
    }

    public func remove(_ files: [String]) {
        for file in files { unlink("\(directory)/\(file)") }
    }
}
