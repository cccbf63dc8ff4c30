/// The original PackageRebuilder's own sections: [common], [debian], [qubesos], [fedora]
/// are checked and kept as read; [celery] is ignored.
enum OriginalSections {
    /// Checks key names (exactly the original's) and the values the original converted
    /// to numbers; everything else is kept as text for the features that will use it.
    static func read(_ section: IniSection, path: String, notices: inout [String]) throws -> [String: String] {
        for entry in section.entries {
            guard KnownKeys.original.contains(entry.key) || KnownKeys.perDistribution.contains(entry.key) else {
                throw KnownKeys.unknownKeyError(entry, section: section.name, known: KnownKeys.original + KnownKeys.perDistribution, path: path)
            }
            if entry.key == "buildinfo-keyring", !entry.value.isEmpty {
                _ = try SettingValue(entry: entry, section: section.name, path: path).absolutePath()
            }
            if let schemes = KnownKeys.upstreamSchemes[entry.key], !entry.value.isEmpty {
                try SettingValue(entry: entry, section: section.name, path: path).url(schemes: schemes)
            }

            if KnownKeys.originalWholeNumbers.contains(entry.key) {
                let value = SettingValue(entry: entry, section: section.name, path: path)
                _ = try value.wholeNumber(in: 1...Int(SettingValue.maximumSeconds))
            }
            if section.name == KnownSections.common, KnownKeys.notInherited.contains(entry.key) {
                notices.append(
                    "\(path):\(entry.line): '\(entry.key)' in [\(section.name)] is not inherited by the distribution "
                        + "sections (nor was it in the original PackageRebuilder); set it in "
                        + KnownSections.distributions.map { "[\($0)]" }.joined(separator: ", "))
            }
        }
        return section.values
    }

    /// The original used Celery with a Redis broker and a MongoDB backend; the spool replaces both.
    static func celeryNotice(_ section: IniSection, path: String) -> String {
        "\(path):\(section.line): section [\(section.name)] is ignored: this rebuilder needs no broker"
    }
}

extension RebuilderConfiguration {
    /// The distribution sections a file may have, the original's SUPPORTED_PROJECTS.
    public static var distributions: [String] { KnownSections.distributions }

    /// A distribution section ("debian", "qubesos", "fedora") with [common] filling in the keys
    /// it leaves unset or empty, as the original resolved them; `dist` is never taken from
    /// [common]. nil when the file has no such section: the original rebuilt only the
    /// distributions that have one.
    public func distributionSettings(for distribution: String) -> [String: String]? {
        guard let own = sections[distribution] else { return nil }
        var merged = (sections[KnownSections.common] ?? [:]).filter {
            !KnownKeys.notInherited.contains($0.key) && !$0.value.isEmpty
        }
        for (key, value) in own where !value.isEmpty {
            merged[key] = value
        }
        return merged
    }
}
