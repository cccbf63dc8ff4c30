import Glibc
import Processes

/// The user a build runs as on this host, apart from the build stage's own: the backend is
/// started through setpriv with that user's uid and gid and no other group, with umask 002 so
/// that the stage (a member of the build user's group) can clear what the build left. The stage
/// switches users with CAP_SETUID and CAP_SETGID (its unit's ambient capabilities); the build
/// gets no capability at all: between two non-root users the kernel would otherwise pass the
/// ambient ones on.
public struct BuildUser: Sendable, Equatable {
    public var name: String
    public var uid: uid_t
    public var gid: gid_t

    public init(name: String, uid: uid_t, gid: gid_t) {
        self.name = name
        self.uid = uid
        self.gid = gid
    }

    /// Looks the user up; nil when there is none.
    public init?(named name: String) {
        guard let entry = getpwnam(name) else { return nil }
        self.init(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    /// `arguments` run as this user.
    public func wrap(_ arguments: [String]) -> [String] {
        ["setpriv", "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--inh-caps=-all", "--ambient-caps=-all", "--",
         "sh", "-c", "umask 002 && exec \"$0\" \"$@\""] + arguments
    }

    /// Why this process cannot start programs as the build user, or nil when it can: checked
    /// once at start, so that a missing capability is a configuration problem, never a verdict.
    public func switchProblem() -> String? {
        let arguments = wrap(["true"])
        do {
            let result = try ChildProcess.run(arguments[0], Array(arguments.dropFirst()), environment: ["PATH=/usr/bin:/bin"],
                                              timeout: 30, maximumOutput: 4096)
            if result.termination == .exited(0) { return nil }
            return "\(result.termination): \(String(decoding: result.stderr.suffix(300), as: UTF8.self))"
        } catch {
            return "\(error)"
        }
    }

    /// Hands the build's own directory to the build user's group (setgid, so what is made in it
    /// stays in that group). Needs the stage's user to be in that group.
    public func share(directory: Int32, path: String) throws(BuildUserError) {
        guard fchown(directory, uid_t.max, gid) == 0, fchmod(directory, 0o2775) == 0 else {
            throw BuildUserError(path: path, errno: errno, user: name)
        }
    }
}

public struct BuildUserError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var errno: Int32
    public var user: String
    public var description: String {
        "cannot give \(path) to the group of the build user \(user): \(String(cString: strerror(errno))) (is the stage's user in that group?)"
    }
}
