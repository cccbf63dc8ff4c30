import Foundation
import Glibc

/// Real system users, one per stage, made with useradd under a prefix of their own and deleted
/// when released: `<prefix>-get`, `-build`, `-builder`, `-logkeeper`, `-attest`, `-report`,
/// `-upload`, `-webhook`, `-commands`, the group `<prefix>` of the stages and `<prefix>-requests`
/// (as systemd/sysusers.d/rebuilder.conf makes them).
final class StageUsers {
    static let roles = ["get", "builder", "build", "logkeeper", "attest", "report", "upload", "webhook", "commands"]
    static var available: Bool {
        getuid() == 0 && ["/usr/sbin/useradd", "/usr/sbin/userdel", "/usr/sbin/groupadd", "/usr/bin/setpriv"].allSatisfy {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    let prefix: String
    private var made: [String] = []
    private var madeGroup = false

    init() throws {
        prefix = "rbt" + String((0..<5).map { _ in "abcdefghijklmnopqrstuvwxyz".randomElement()! })
        try SigningKeys.output("/usr/sbin/groupadd", ["--system", prefix])
        try SigningKeys.output("/usr/sbin/groupadd", ["--system", user("requests")])
        madeGroup = true
        for role in Self.roles {
            var groups = ["get", "build", "attest", "report", "upload", "commands"].contains(role) ? [prefix] : []
            if role == "build" { groups.append("\(prefix)-builder") }
            if role == "webhook" { groups.append(user("requests")) }
            if role == "commands" { groups += [user("requests"), user("get")] }
            try SigningKeys.output("/usr/sbin/useradd", ["--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                                                        "--shell", "/usr/sbin/nologin"] + (groups.isEmpty ? [] : ["--groups", groups.joined(separator: ",")])
                                                        + [user(role)])
            made.append(user(role))
        }
    }

    deinit {
        for name in made.reversed() { _ = try? SigningKeys.output("/usr/sbin/userdel", [name]) }
        if madeGroup {
            _ = try? SigningKeys.output("/usr/sbin/groupdel", [user("requests")])
            _ = try? SigningKeys.output("/usr/sbin/groupdel", [prefix])
        }
    }

    func user(_ role: String) -> String { "\(prefix)-\(role)" }

    /// `arguments` as `role`'s user (its own groups only), with the umask the units set and
    /// `capabilities` ambient (as a unit's AmbientCapabilities=).
    func command(_ role: String, capabilities: [String] = [], _ arguments: [String]) -> [String] {
        let raised = capabilities.map { "+\($0)" }.joined(separator: ",")
        return ["--reuid=\(user(role))", "--regid=\(user(role))", "--init-groups"]
            + (capabilities.isEmpty ? [] : ["--inh-caps=\(raised)", "--ambient-caps=\(raised)"])
            + ["--", "sh", "-c", "umask 002 && exec \"$0\" \"$@\""] + arguments
    }

    /// Runs `arguments` as `role`; returns standard output.
    @discardableResult
    func run(_ role: String, capabilities: [String] = [], _ arguments: [String]) throws -> String {
        try SigningKeys.output("/usr/bin/setpriv", command(role, capabilities: capabilities, arguments))
    }

    /// Tries one file operation as `role`: "ok" or the errno's name (EACCES, ...).
    func attempt(_ role: String, _ operation: String, _ path: String, _ destination: String = "") throws -> String {
        let probe = """
        import errno, os, sys
        operation, path, destination = sys.argv[1:4]
        try:
            if operation == "read":
                open(path, "rb").read(1)
            elif operation == "write":
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)); os.unlink(path)
            elif operation == "rename":
                os.rename(path, destination)
            print("ok")
        except OSError as error:
            print(errno.errorcode[error.errno])
        """
        return try run(role, ["/usr/bin/python3", "-c", probe, operation, path, destination]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
