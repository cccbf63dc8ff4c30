import Buildinfo
import Foundation
import Testing
import TestSupport

@Suite("DebianVersion: dpkg's parsing and ordering")
struct DebianVersionTests {
    /// The comparison table of dpkg's own test suite (scripts/t/Dpkg_Version.t), plus the
    /// comparisons of lib/dpkg/t/t-version.c: (a, b, sign of a compared with b).
    static let dpkgTable: [(String, String, Int)] = [
        ("1.0-1", "2.0-2", -1), ("2.2~rc-4", "2.2-1", -1), ("2.2-1", "2.2~rc-4", 1), ("1.0000-1", "1.0-1", 0),
        ("1", "0:1", 0), ("0", "0:0-0", 0), ("2:2.5", "1:7.5", 1), ("1:0foo", "0foo", 1), ("0:0foo", "0foo", 0),
        ("0foo", "0foo", 0), ("0foo-0", "0foo", 0), ("0foo", "0foo-0", 0), ("0foo", "0fo", 1), ("0foo-0", "0foo+", -1),
        ("0foo~1", "0foo", -1), ("0foo~foo+Bar", "0foo~foo+bar", -1), ("0foo~~", "0foo~", -1), ("1~", "1", -1),
        ("12345+that-really-is-some-ver-0", "12345+that-really-is-some-ver-10", -1), ("0foo-0", "0foo-01", -1),
        ("0foo.bar", "0foobar", 1), ("0foo.bar", "0foo1bar", 1), ("0foo.bar", "0foo0bar", 1), ("0foo1bar-1", "0foobar-1", -1),
        ("0foo2.0", "0foo2", 1), ("0foo2.0.0", "0foo2.10.0", -1), ("0foo2.0", "0foo2.0.0", -1), ("0foo2.0", "0foo2.10", -1),
        ("0foo2.1", "0foo2.10", -1), ("1.09", "1.9", 0), ("1.0.8+nmu1", "1.0.8", 1), ("3.11", "3.10+nmu1", 1),
        ("0.9j-20080306-4", "0.9i-20070324-2", 1), ("1.2.0~b7-1", "1.2.0~b6-1", 1), ("1.011-1", "1.06-2", 1),
        ("0.0.9+dfsg1-1", "0.0.8+dfsg1-3", 1), ("4.6.99+svn6582-1", "4.6.99+svn6496-1", 1), ("53", "52", 1),
        ("0.9.9~pre122-1", "0.9.9~pre111-1", 1), ("2:2.3.2-2+lenny2", "2:2.3.2-2", 1), ("1:3.8.1-1", "3.8.GA-1", 1),
        ("1.0.1+gpl-1", "1.0.1-2", 1), ("1a", "1000a", -1),
        // t-version.c
        ("0-0", "00-0", 0), ("0-00", "00-0", 0), ("1:2-3", "1:2-3", 0), ("0-0", "1:0-0", -1), ("a-0", "b-0", -1),
        ("0-a", "0-b", -1), ("1-1", "2-1", -1), ("1-1", "1-2", -1),
    ]

    @Test("dpkg's comparison table", arguments: dpkgTable)
    func dpkgComparisons(_ a: String, _ b: String, _ expected: Int) throws {
        let va = try DebianVersion(a)
        let vb = try DebianVersion(b)
        #expect(DebianVersion.compare(va, vb) == expected)
        #expect(DebianVersion.compare(vb, va) == -expected)
        #expect((va < vb) == (expected < 0))
        #expect((va > vb) == (expected > 0))
        #expect((va == vb) == (expected == 0))
        if expected == 0 { #expect(va.hashValue == vb.hashValue) }
    }

    /// Versions dpkg only warns about still compare as dpkg compares them (checked with dpkg 1.21.22
    /// on amd64, where `char` is signed: bytes ≥ 0x80 sort after letters, before other punctuation).
    @Test("dpkg's ordering of versions it warns about", arguments: [
        ("1é", "1+", -1), ("1é", "1z", 1), ("1é", "1~", 1), ("1.0_1", "1.0+1", 1), ("1a", "1a0", 0),
    ])
    func laxComparisons(_ a: String, _ b: String, _ expected: Int) throws {
        #expect(DebianVersion.compare(try DebianVersion(a), try DebianVersion(b)) == expected)
    }

    @Test("sorting, as dpkg's test suite sorts")
    func sorting() throws {
        let unsorted = ["4:4-4", "5.0abc", "0.0-0.0alpha0", "10.100.1-1", "0~999.999zeta", "0:1.0-0"]
        let sorted = try unsorted.map { try DebianVersion($0) }.sorted().map(\.description)
        #expect(sorted == ["0~999.999zeta", "0.0-0.0alpha0", "1.0-0", "5.0abc", "10.100.1-1", "4:4-4"])
    }

    /// (text, epoch, upstream, revision), from t-version.c's parse tests and more.
    static let parsed: [(String, Int, String, String)] = [
        ("0", 0, "0", ""), ("0:0", 0, "0", ""), ("0:0-0", 0, "0", "0"), ("0:0.0-0.0", 0, "0.0", "0.0"),
        ("1:0", 1, "0", ""), ("5:1", 5, "1", ""), ("0:0-0-0", 0, "0-0", "0"), ("0:0-0-0-0", 0, "0-0-0", "0"),
        ("0:0:0-0", 0, "0:0", "0"), ("0:0:0:0-0", 0, "0:0:0", "0"), ("0:0:0-0-0", 0, "0:0-0", "0"),
        ("0:0-0:0-0", 0, "0-0:0", "0"), ("0:09azAZ.-+~:-0", 0, "09azAZ.-+~:", "0"), ("0:0-azAZ09.+~", 0, "0", "azAZ09.+~"),
        ("  \t0:0-1", 0, "0", "1"), ("0:0-1\t  ", 0, "0", "1"), ("\t  0:0-1  \t", 0, "0", "1"),
        ("5.1-3+b1", 0, "5.1", "3+b1"), ("1:1.16.3-2", 1, "1.16.3", "2"), ("2147483647:1", 2147483647, "1", ""),
        // strtol's leniency, which dpkg inherits: a sign before the epoch.
        ("+1:2", 1, "2", ""), ("-0:2", 0, "2", ""),
    ]

    @Test("parsing into epoch, upstream and revision", arguments: parsed)
    func parsing(_ text: String, _ epoch: Int, _ upstream: String, _ revision: String) throws {
        let v = try DebianVersion(text)
        #expect(v.epoch == epoch)
        #expect(v.upstream == upstream)
        #expect(v.revision == revision)
    }

    /// dpkg's errors, with its wording.
    static let errors: [(String, String)] = [
        ("", "version string is empty"), ("  ", "version string is empty"),
        ("0:", "nothing after colon in version number"), (":1.0", "epoch in version is empty"),
        ("1.0-", "revision number is empty"), ("0:0 0-1", "version string has embedded spaces"),
        ("-1:0-1", "epoch in version is negative"), ("999999999999999999999999:0-1", "epoch in version is too big"),
        ("2147483648:1", "epoch in version is too big"), ("a:0-0", "epoch in version is empty"),
        ("A:0-0", "epoch in version is empty"), ("10a:5.2", "epoch in version is not number"),
        ("-0", "version number is empty"), ("0:-0", "version number is empty"), ("1.0\u{0}", "version string contains a NUL character"),
    ]

    @Test("dpkg's parse errors", arguments: errors)
    func parseErrors(_ text: String, _ message: String) {
        #expect(throws: DebianVersionError(version: text, message: message)) { try DebianVersion(text) }
        #expect(throws: DebianVersionError(version: text, message: message)) { try DebianVersion(validating: text) }
    }

    /// What dpkg only warns about: accepted by `init(_:)`, rejected by `init(validating:)`.
    static let warnings: [(String, String)] = [
        ("0:abc3-0", "version number does not start with digit"), ("foo5.2", "version number does not start with digit"),
        ("5.2@3-2", "invalid character in version number"), ("0:0_-0", "invalid character in version number"),
        ("0:0-0:0", "invalid character in revision number"), ("0:0-0/", "invalid character in revision number"),
        ("1.0é", "invalid character in version number"),
    ] + "!#@$%&/|\\<>()[]{};,_=*^'".map { ("0:0\($0)-0", "invalid character in version number") }

    @Test("dpkg's warnings", arguments: warnings)
    func parseWarnings(_ text: String, _ message: String) throws {
        _ = try DebianVersion(text)
        #expect(throws: DebianVersionError(version: text, message: message)) { try DebianVersion(validating: text) }
    }

    @Test("description: canonical, epoch only when needed")
    func descriptions() throws {
        #expect(try version("0:1.0").description == "1.0")
        #expect(try version("1:2.0-1").description == "1:2.0-1")
        #expect(try version(" 1.0-1 ").description == "1.0-1")
        #expect(try version("+3:1").description == "3:1")
        // A colon after the epoch needs the epoch, even 0, to read back the same.
        #expect(try version("0:1:2").description == "0:1:2")
        #expect(try version("0:1-2:3").description == "0:1-2:3")
        #expect(try version(try version("0:1-2:3").description) == (try version("0:1-2:3")))
        #expect(try version("1:2:3-4").withoutEpoch == "2:3-4")
        #expect(try version("1:5.1-3+b1").withoutEpoch == "5.1-3+b1")
        #expect(try version("1.0").withoutEpoch == "1.0")
        #expect(DebianVersionError(version: "1.0-", message: "revision number is empty").description
            == "invalid version '1.0-': revision number is empty")
    }

    @Test("binNMU number", arguments: [
        ("5.1-3+b1", 1), ("5.1-3+b12", 12), ("1.0+b3", 3), ("1:2.0-1+deb12u1+b2", 2), ("5.1-3", nil), ("1.0-1+b", nil),
        ("1.0+b1-2", nil), ("1.0-1+bx1", nil), ("1.0-1b1", nil), ("1.0-1+b99999999999999999999999", nil),
    ] as [(String, Int?)])
    func binNMU(_ text: String, _ expected: Int?) throws {
        #expect(try version(text).binNMU == expected)
    }

    @Test("equal versions hash equally, so sets follow dpkg's equality")
    func hashing() throws {
        let set: Set<DebianVersion> = try Set(["1.0", "1.00", "0:1.0", "01.0", "1.0-0", "1.0-00"].map { try version($0) })
        #expect(set.count == 1)
        let distinct: Set<DebianVersion> = try Set(["1.0", "1.0a", "1:1.0", "1.0~", "1.0-1", "a1.0", "1.a0"].map { try version($0) })
        #expect(distinct.count == 7)
        #expect(try version("1a") == (try version("1a0")))
        #expect(try version("1a").hashValue == (try version("1a0")).hashValue)
        #expect(try version("00a1") != (try version("a1")))
    }

    /// Random versions built to collide often (shared prefixes, `~`, leading zeros, letters
    /// against punctuation), including some dpkg only warns about.
    static func randomVersionPairs(count: Int) -> [(String, String)] {
        var rng = SeededGenerator(seed: 0x5EED_DEB1)
        let pieces = ["0", "1", "9", "10", "01", "a", "b", "Z", ".", "+", "~", "~~", "-", "é", "_"]
        func part(_ length: Int, allowHyphen: Bool) -> String {
            var s = ""
            for _ in 0..<length {
                var p = pieces.randomElement(using: &rng)!
                if p == "-" && !allowHyphen { p = "." }
                s += p
            }
            return s
        }
        func make() -> String {
            let epoch = Int.random(in: 0..<6, using: &rng)
            var v = epoch == 0 ? "" : epoch == 1 ? "0:" : epoch == 2 ? "1:" : ""
            let hasRevision = Bool.random(using: &rng)
            v += (Bool.random(using: &rng) ? "1" : String(Int.random(in: 0..<3, using: &rng)))
                + part(Int.random(in: 0..<4, using: &rng), allowHyphen: hasRevision)
            if v.hasSuffix("-") { v += "0" }
            if hasRevision {
                v += "-" + (Bool.random(using: &rng) ? "1" : "a") + part(Int.random(in: 0..<3, using: &rng), allowHyphen: false)
            }
            return v
        }
        func mutate(_ v: String) -> String {
            var chars = Array(v)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: return v + pieces.randomElement(using: &rng)!.replacingOccurrences(of: "-", with: "~")
            case 1: return v.replacingOccurrences(of: "1", with: "01")
            case 2:
                let i = Int.random(in: ((chars.lastIndex(of: ":") ?? -1) + 1)..<chars.count, using: &rng)
                let replacement = Character(["0", "1", "a", "~", "+", "."].randomElement(using: &rng)!)
                if chars[i] != "-" && chars[i] != ":" { chars[i] = replacement }
                return String(chars)
            case 3: return v + "~"
            default: return make()
            }
        }
        return (0..<count).map { _ in
            let a = make()
            return (a, mutate(a))
        }
    }

    @Test("ordering agrees with dpkg --compare-versions on generated versions",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg")))
    func agreesWithDpkg() throws {
        let pairs = Self.randomVersionPairs(count: 300)
        // One shell runs all comparisons: -1, 0 or 1 per line.
        let script = """
            while read -r a b; do
              if dpkg --compare-versions "$a" lt "$b" 2>/dev/null; then echo -1
              elif dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo 0
              else echo 1; fi
            done
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        process.environment = environment
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let lines = pairs.map { "\($0.0) \($0.1)\n" }.joined()
        input.fileHandleForWriting.write(Data(lines.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let results = String(decoding: data, as: UTF8.self).split(separator: "\n").map { Int($0)! }
        try #require(results.count == pairs.count)
        var disagreements: [String] = []
        var counts = [-1: 0, 0: 0, 1: 0]
        for ((a, b), expected) in zip(pairs, results) {
            counts[expected, default: 0] += 1
            let mine = DebianVersion.compare(try DebianVersion(a), try DebianVersion(b))
            if mine != expected { disagreements.append("\(a) vs \(b): dpkg \(expected), ours \(mine)") }
        }
        #expect(disagreements == [])
        // The generator must produce all three outcomes, or the test proves little.
        #expect(counts.values.allSatisfy { $0 >= 20 }, "\(counts)")
    }
}
