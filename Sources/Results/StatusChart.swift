/// An inline SVG chart: a legend, then one horizontal stacked bar per distribution of a
/// suite, each with its counts and percentages written out below it, so the numbers can be
/// read (and copied) without relying on colour.
struct StatusChart {
    struct Bar {
        /// E.g. "essential+required · amd64".
        var label: String
        var counts: StatusCounts
    }

    var title: String
    var bars: [Bar]

    private static let width = 960
    private static let margin = 8
    private static let barWidth = width - 2 * margin
    private static let barHeight = 28
    private static let lineHeight = 17
    /// Rough advance of one character at the chart's font sizes; only used to decide
    /// whether a number fits in a segment and where to wrap the counts line.
    private static let characterWidth = 7.5

    func svg() -> String {
        var body = legend()
        var y = 34
        for bar in bars {
            let (markup, height) = Self.block(bar, top: y)
            body += markup
            y += height
        }
        let title = HTMLText.escape(title)
        return """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" width="\(Self.width)" height="\(y)" \
            viewBox="0 0 \(Self.width) \(y)" role="img" font-family="sans-serif" font-size="13">\
            <title>\(title)</title>
            \(body)</svg>
            """
    }

    private func legend() -> String {
        let spacing = Self.barWidth / TaskStatus.allCases.count
        return TaskStatus.allCases.enumerated().map { index, status in
            let x = Self.margin + index * spacing
            return "<rect x=\"\(x)\" y=\"4\" width=\"14\" height=\"14\" fill=\"\(StatusStyle.fill(status))\"/>"
                + "<text x=\"\(x + 20)\" y=\"16\">\(status.rawValue)</text>\n"
        }.joined()
    }

    /// One bar with its label above and its figures below; returns the markup and its height.
    private static func block(_ bar: Bar, top: Int) -> (String, Int) {
        let counts = bar.counts
        let total = counts.total
        let barTop = top + 22
        var markup = "<text x=\"\(margin)\" y=\"\(top + 15)\" font-size=\"14\" font-weight=\"bold\">"
            + "\(HTMLText.escape(bar.label)) — \(total) task\(total == 1 ? "" : "s")</text>\n"

        if total == 0 {
            markup += "<rect x=\"\(margin)\" y=\"\(barTop)\" width=\"\(barWidth)\" height=\"\(barHeight)\" "
                + "fill=\"#f5f5f5\" stroke=\"#9e9e9e\"/>"
                + "<text x=\"\(margin + 8)\" y=\"\(barTop + 19)\" fill=\"#555555\">no tasks yet</text>\n"
            return (markup, 22 + barHeight + 18)
        }

        // Edges from the running total, so rounding never leaves a gap or overruns the bar.
        var before = 0
        for status in TaskStatus.allCases where counts[status] > 0 {
            let left = margin + barWidth * before / total
            before += counts[status]
            let right = margin + barWidth * before / total
            let percent = StatusStyle.percent(counts, status)
            markup += "<rect x=\"\(left)\" y=\"\(barTop)\" width=\"\(right - left)\" height=\"\(barHeight)\" "
                + "fill=\"\(StatusStyle.fill(status))\"><title>\(status.rawValue): \(counts[status]) (\(percent))</title></rect>"
            if let label = segmentLabel(counts[status], percent, width: right - left) {
                markup += "<text x=\"\((left + right) / 2)\" y=\"\(barTop + 19)\" text-anchor=\"middle\" "
                    + "fill=\"\(StatusStyle.text(status))\">\(label)</text>"
            }
            markup += "\n"
        }

        let figures = TaskStatus.allCases.filter { counts[$0] > 0 }.map {
            "\($0.rawValue) \(counts[$0]) (\(StatusStyle.percent(counts, $0)))"
        }
        let lines = wrap(figures, separator: " · ")
        for (index, line) in lines.enumerated() {
            markup += "<text x=\"\(margin)\" y=\"\(barTop + barHeight + 17 + index * lineHeight)\">"
                + "\(HTMLText.escape(line))</text>\n"
        }
        return (markup, 22 + barHeight + 8 + lines.count * lineHeight + 12)
    }

    /// The count and percentage if they fit in the segment, else the count alone, else nothing.
    private static func segmentLabel(_ count: Int, _ percent: String, width: Int) -> String? {
        ["\(count) (\(percent))", "\(count)"]
            .first { Double($0.count) * characterWidth + 8 <= Double(width) }
            .map(HTMLText.escape)
    }

    private static func wrap(_ items: [String], separator: String) -> [String] {
        let limit = Int(Double(barWidth) / characterWidth)
        var lines: [String] = []
        for item in items {
            if let last = lines.last, last.count + separator.count + item.count <= limit {
                lines[lines.count - 1] = last + separator + item
            } else {
                lines.append(item)
            }
        }
        return lines
    }
}
