import Testing
@testable import Spool

@Suite struct TaskNameTests {
    @Test func acceptsDebianBuildinfoNames() {
        for name in ["bash_5.1-3+b1_amd64.buildinfo", "libc6_2.36-9+deb12u4_all.buildinfo", "x", "0ad_0.0.26~rc1-1_i386.buildinfo"] {
            #expect(TaskID(name) != nil, "\(name)")
        }
    }

    @Test(arguments: [
        ("", "name is empty"),
        ("-rf.buildinfo", "name starts with '-'"),
        ("a..b.buildinfo", "name contains '..'"),
        ("new\nline", "name contains a newline"),
        ("tab\there", "name contains a control character"),
        ("with space", "name contains ' '"),
        ("slash/name", "name contains '/'"),
        ("_x", "name must start with a letter or digit"),
        ("caf\u{e9}", "name contains a non-ASCII character"),
    ])
    func refusesUnsafeNames(name: String, reason: String) {
        #expect(TaskID.problem(in: Array(name.utf8)) == reason)
    }

    @Test func refusesInvalidUTF8AndOverlongNames() {
        #expect(TaskID.problem(in: [0x61, 0xFF, 0x62]) == "name is not valid UTF-8")
        #expect(TaskID.problem(in: Array(String(repeating: "a", count: 201).utf8)) == "name is longer than 200 bytes")
    }

    @Test func readsTheAttemptCountAfterTheColon() {
        #expect(EntryName.classify(Array("pkg_1_amd64.buildinfo:3".utf8)) == .task(TaskEntry(id: TaskID("pkg_1_amd64.buildinfo")!, failedAttempts: 3)))
        #expect(EntryName.classify(Array(".holder-x".utf8)) == .hidden)
        for bad in ["x:", "x:0", "x:01", "x:a", "x:12345", "x:1:2"] {
            guard case .invalid = EntryName.classify(Array(bad.utf8)) else {
                Issue.record("\(bad) should be invalid")
                continue
            }
        }
        #expect(TaskEntry(id: TaskID("x")!, failedAttempts: 2).fileName == "x:2")
        #expect(TaskEntry(id: TaskID("x")!).fileName == "x")
    }

    @Test func escapesNamesForReasons() {
        #expect(printableName(Array("a\nb\\c".utf8) + [0xFF]) == "a\\nb\\\\c\\xff")
    }

    @Test func timestampsRoundTrip() {
        let time = 1_795_291_994.080304
        let text = Timestamp.format(time)
        #expect(text == "2026-11-21T20:13:14.080304Z")
        #expect(abs(Timestamp.parse(text)! - time) < 1e-6)
    }
}
