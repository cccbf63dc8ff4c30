/// Names of the published files, safe whatever the configured strings hold.
public enum ResultsFileName {
    /// The HTML page inside `results/`.
    public static let page = "index.html"

    /// `<spec>.json` (or `unknown.json`) inside `results/`. Bytes other than letters, digits
    /// and `. _ + -` are percent-escaped (`%` included, so distinct specs keep distinct names),
    /// and so is a leading dot: a spec like `../x` or `.hidden` stays a plain visible file.
    /// No spec collides with `unknown.json`: "unknown" has no architecture, so never parses.
    public static func export(for group: DistributionGroup) throws(ResultsError) -> String {
        var name = ""
        for byte in group.name.utf8 {
            let isLeadingDot = name.isEmpty && byte == UInt8(ascii: ".")
            if isSafe(byte) && !isLeadingDot {
                name.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                name += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        name += ".json"
        // NAME_MAX on Linux file systems.
        guard name.utf8.count <= 255 else {
            throw .unusableFileName(distribution: group.name, reason: "the escaped name '\(name)' is longer than 255 bytes")
        }
        return name
    }

    /// `rebuilder_<project>.prom` for node_exporter's textfile directory, which several
    /// projects share: "/" and anything else unusual become "_", e.g. "qubesos/deb/r4.1/vm"
    /// → `rebuilder_qubesos_deb_r4.1_vm.prom`. The fixed prefix keeps it from being hidden.
    public static func textfile(forProject project: String) -> String {
        let flat = String(String.UnicodeScalarView(project.unicodeScalars.map { scalar in
            scalar.isASCII && isSafe(UInt8(scalar.value)) ? scalar : "_"
        }))
        return "rebuilder_\(flat).prom"
    }

    private static func isSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
             UInt8(ascii: "+"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
