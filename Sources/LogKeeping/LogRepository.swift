import RemoteShell

/// The keeper's git repository of logs: each finished log is committed on its own, as a commit
/// signed with the keeper's key, and pushed to the configured remote. git runs with no system or
/// global configuration, so nothing outside the keeper's settings changes what it does.
public struct LogRepository: Sendable {
    public let path: String
    public var gnupgHome: String?
    public var signingKey: String?
    public var push: PushTarget?

    /// Where commits are pushed: `user@host:path` over ssh.
    public struct PushTarget: Sendable, Equatable {
        public var url: String
        public var connection: SSHConnection
        public init(url: String, connection: SSHConnection) {
            self.url = url
            self.connection = connection
        }
    }

    public init(path: String, gnupgHome: String? = nil, signingKey: String? = nil, push: PushTarget? = nil) {
        self.path = path
        self.gnupgHome = gnupgHome
        self.signingKey = signingKey
        self.push = push
    }

    /// The branch every log goes on.
    public static let branch = "main"

    /// Makes the repository when it is not one yet.
    public func prepare() throws(LogStreamError) {
        if (try? git(["rev-parse", "--git-dir"])) != nil { return }
        _ = try git(["init", "-q", "-b", Self.branch])
    }

    /// Commits `file` (relative to the work tree) as one signed commit and returns its id. A file
    /// already committed unchanged (a commit interrupted after git finished) returns that commit.
    public func commit(_ file: String, message: String) throws(LogStreamError) -> String {
        _ = try git(["add", "--", file])
        let staged = try git(["diff", "--cached", "--name-only", "--", file])
        if staged.isEmpty {
            let last = try git(["log", "-1", "--format=%H", "--", file])
            guard !last.isEmpty else { throw LogStreamError("\(path)/\(file) is neither new nor committed") }
            return last
        }
        var arguments = ["-c", "user.name=rebuilder log keeper", "-c", "user.email=logkeeper@localhost"]
        if let signingKey { arguments += ["-c", "user.signingkey=\(signingKey)", "-c", "gpg.program=gpg", "commit", "-S"] } else { arguments += ["commit"] }
        _ = try git(arguments + ["-q", "-m", message, "--", file])
        return try git(["rev-parse", "HEAD"])
    }

    /// Pushes the branch to the configured remote; without one, does nothing.
    public func pushBranch() throws(LogStreamError) {
        guard let push else { return }
        _ = try git(["push", "-q", push.url, "HEAD:refs/heads/\(Self.branch)"], timeout: 300)
    }

    /// Whether `commit` is on the branch (not rewritten away), and the blob id git holds for
    /// `file` in it.
    public func committedBlob(_ file: String, in commit: String) throws(LogStreamError) -> String {
        _ = try git(["merge-base", "--is-ancestor", commit, "HEAD"])
        return try git(["rev-parse", "\(commit):\(file)"])
    }

    /// The blob id the file in the work tree has now.
    public func blobOfWorkTreeFile(_ file: String) throws(LogStreamError) -> String {
        try git(["hash-object", "--", file])
    }

    /// Runs git in the work tree; its output without the final newline, or why it failed.
    @discardableResult
    func git(_ arguments: [String], timeout: Double = 120) throws(LogStreamError) -> String {
        var environment = ["PATH=/usr/bin:/bin", "HOME=\(path)", "LC_ALL=C", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
                           "GIT_TERMINAL_PROMPT=0"]
        if let gnupgHome { environment.append("GNUPGHOME=\(gnupgHome)") }
        if let push { environment.append("GIT_SSH_COMMAND=\((["ssh"] + push.connection.options).map(ShellQuoting.quote).joined(separator: " "))") }
        // The keeper's repository may belong to another user than the reader (the attest stage).
        return try KeeperTool.run("git", ["-C", path, "-c", "safe.directory=*"] + arguments, environment: environment, timeout: timeout,
                                  what: "git \(arguments.first ?? "") in \(path)")
    }
}
