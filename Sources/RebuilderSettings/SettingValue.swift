/// One value on its way to a typed setting. Keeps the key, section and line together
/// so that every kind of bad value is reported the same way:
/// `path:7: bad value 'ten' for 'max-attempts' in [spool]: expected a whole number from 1 to 1000`.
struct SettingValue {
    let entry: IniEntry
    let section: String
    let path: String

    var text: String { entry.value }

    func error(expected: String) -> ConfigurationError {
        ConfigurationError(
            path: path, line: entry.line,
            message: "bad value '\(entry.value)' for '\(entry.key)' in [\(section)]: expected \(expected)")
    }

    func absolutePath() throws -> String {
        guard text.hasPrefix("/") else { throw error(expected: "an absolute path") }
        return text
    }

    func wholeNumber(in range: ClosedRange<Int>) throws -> Int {
        let expected = "a whole number from \(range.lowerBound) to \(range.upperBound)"
        guard isDigits(text), let number = Int(text), range.contains(number) else {
            throw error(expected: expected)
        }
        return number
    }

    /// Durations are plain seconds, `60` or `0.5`; no units, exponents, signs or "inf",
    /// so that what is written is what is meant. A year is the ceiling: anything longer is
    /// surely a typo, and it keeps later conversions to nanoseconds far from overflow.
    func seconds(allowingZero: Bool) throws -> Double {
        let expected = "a number of seconds such as 60 or 0.5, "
            + (allowingZero ? "from 0" : "greater than 0") + " up to \(Int(Self.maximumSeconds))"
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.allSatisfy(isDigits), let seconds = Double(text),
              seconds <= Self.maximumSeconds, allowingZero ? seconds >= 0 : seconds > 0
        else {
            throw error(expected: expected)
        }
        return seconds
    }
    static let maximumSeconds: Double = 365 * 24 * 3600

    /// The spellings configparser's getboolean() accepts, in any letter case.
    func boolean() throws -> Bool {
        switch text.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw error(expected: "true/false, yes/no, on/off or 1/0")
        }
    }

    /// A byte count, optionally with a binary suffix: `32M` is 32 × 1024 × 1024.
    func byteSize() throws -> Int {
        let expected = "a positive number of bytes, optionally with a suffix K, M or G (such as 32M)"
        var digits = Substring(text)
        var multiplier = 1
        switch digits.last {
        case "K", "k": multiplier = 1 << 10
        case "M", "m": multiplier = 1 << 20
        case "G", "g": multiplier = 1 << 30
        default: break
        }
        if multiplier > 1 { digits = digits.dropLast() }
        guard isDigits(digits), let count = Int(digits), count > 0 else { throw error(expected: expected) }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { throw error(expected: expected) }
        return bytes
    }

    private func isDigits<S: StringProtocol>(_ text: S) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}

extension SettingValue {
    /// A URL with one of `schemes`, a host, and nothing a shell or a log line could trip over.
    /// A trailing "/" is allowed; users append paths to it.
    @discardableResult
    func url(schemes: [String]) throws -> String { try url(text, schemes: schemes) }

    /// One URL of a value that lists several.
    func url(_ text: String, schemes: [String]) throws -> String {
        let expected = "a URL starting with " + schemes.map { "\($0)://" }.joined(separator: " or ")
        let scheme = schemes.first { text.hasPrefix($0 + "://") }
        let rest = scheme.map { text.dropFirst($0.count + 3) } ?? ""
        guard scheme != nil, let host = rest.split(separator: "/", omittingEmptySubsequences: false).first, !host.isEmpty,
              !text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F })
        else { throw error(expected: expected) }
        return text
    }

    /// A command line split into words (see `ShellWords`): the program, then its first arguments.
    func commandWords() throws -> [String] {
        let words: [String]
        do {
            words = try ShellWords.split(text)
        } catch {
            throw self.error(expected: "a command line (\(error.message))")
        }
        guard let program = words.first, !program.isEmpty else {
            throw self.error(expected: "a command to run, such as /usr/local/libexec/rebuilder/build-task")
        }
        return words
    }
}
