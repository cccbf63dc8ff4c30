/// The node_exporter textfile of one project, in the Prometheus text exposition format.
///
/// Several projects' files share one textfile directory and node_exporter merges them, so
/// every series carries a `project` label and the HELP texts never mention a project
/// (node_exporter rejects one metric name with different HELP texts).
public struct PrometheusTextfile: Sendable {
    public var results: ProjectResults

    public init(results: ProjectResults) {
        self.results = results
    }

    public func text() -> String {
        let project = "project=\"\(Self.labelValue(results.project))\""
        var lines = [
            "# HELP rebuilder_tasks Tasks of a project by distribution and status.",
            "# TYPE rebuilder_tasks gauge",
        ]
        // Every status of every distribution, zeros included: a missing series looks like
        // a scrape problem to alerting, a zero is an answer.
        for distribution in results.distributions {
            let labels = "\(project),distribution=\"\(Self.labelValue(distribution.group.name))\""
            for status in TaskStatus.allCases {
                lines.append("rebuilder_tasks{\(labels),status=\"\(status.rawValue)\"} \(distribution.counts[status])")
            }
        }
        lines += [
            "# HELP rebuilder_stage_duration_seconds Time spent in stage jobs.",
            "# TYPE rebuilder_stage_duration_seconds summary",
        ]
        for stage in results.stageDurations {
            let labels = "\(project),stage=\"\(Self.labelValue(stage.stage))\""
            lines.append("rebuilder_stage_duration_seconds_sum{\(labels)} \(Self.number(stage.totalSeconds))")
            lines.append("rebuilder_stage_duration_seconds_count{\(labels)} \(stage.count)")
        }
        lines += [
            "# HELP rebuilder_results_generated_timestamp_seconds When the results were generated, in seconds since the epoch.",
            "# TYPE rebuilder_results_generated_timestamp_seconds gauge",
            "rebuilder_results_generated_timestamp_seconds{\(project)} \(Self.number(results.generated.timeIntervalSince1970))",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Label values may hold anything but must escape backslash, double quote and newline.
    static func labelValue(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Swift prints "inf" and "nan", the format wants "+Inf", "-Inf" and "NaN".
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return "\(value)"
    }
}
