import Glibc
import Processes

/// Builds a source package inside a prepared environment, cut off from the host.
///
/// `unshare` makes new user, mount, network, PID, IPC and UTS namespaces. Inside, the caller is
/// root of the namespace only (its own uid outside); the build user is uid 1000 of the
/// namespace, which on the host is an id of the caller's subordinate block (`/etc/subuid`), so it
/// owns nothing there. The namespace's root then:
/// - mounts a tmpfs (the disk limit) and unpacks the environment's tarball into it;
/// - gives it a /dev of a few device nodes, its own /proc, and the verified source files
///   read-only at /sources: nothing else of the host is visible once the build is chrooted;
/// - runs `dpkg-source -x` and `dpkg-buildpackage` chrooted, as the build user, with no
///   capabilities, `no_new_privs` (setuid files do nothing), the memory and process limits, only
///   the given environment variables, and no network but a loopback that is down;
/// - kills whatever the build left running (it is the namespace's init), and copies the regular
///   files the build wrote next to its source tree into the output directory.
/// The tmpfs and every process vanish with the namespace, also when the sandbox is killed.
public struct BuildSandbox: Sendable {
    /// The build user inside the namespace (uid and gid).
    public static let buildUser: UInt32 = 1000
    /// Exit status of the sandbox when it could not be set up (not a build failure).
    public static let exitSetupFailed: Int32 = 75

    public var limits: SandboxLimits
    public var userIDs: SubordinateIDs
    public var groupIDs: SubordinateIDs

    public init(limits: SandboxLimits, userIDs: SubordinateIDs, groupIDs: SubordinateIDs) {
        self.limits = limits
        self.userIDs = userIDs
        self.groupIDs = groupIDs
    }

    /// The caller's own blocks from /etc/subuid and /etc/subgid.
    public init(limits: SandboxLimits) throws(SandboxError) {
        let users = try SubordinateIDs.granted(in: "/etc/subuid")
        let groups = try SubordinateIDs.granted(in: "/etc/subgid")
        guard users.count > Self.buildUser, groups.count > Self.buildUser else {
            throw SandboxError("/etc/subuid and /etc/subgid must grant more than \(Self.buildUser) ids (the build user is \(Self.buildUser) inside)")
        }
        self.init(limits: limits, userIDs: users, groupIDs: groups)
    }

    /// What to build and where.
    public struct Build: Sendable, Equatable {
        /// The environment's tarball (made by mmdebstrap).
        public var environment: String
        /// An empty directory: the sandbox's root is mounted there, seen by no other process.
        public var mountPoint: String
        /// A directory holding the `.dsc` and the files it lists (checked already).
        public var sources: String
        public var dsc: String
        /// Where the rebuilt files go.
        public var output: String
        /// The buildinfo's Build-Path: the source tree is unpacked there inside the sandbox.
        public var buildPath: String
        /// dpkg-buildpackage's build type option: -b, -B or -A.
        public var buildType: String
        /// `NAME=value` for the build, in addition to PATH, HOME and LOGNAME.
        public var environmentVariables: [String]

        public init(environment: String, mountPoint: String, sources: String, dsc: String, output: String, buildPath: String,
                    buildType: String, environmentVariables: [String]) {
            self.environment = environment
            self.mountPoint = mountPoint
            self.sources = sources
            self.dsc = dsc
            self.output = output
            self.buildPath = buildPath
            self.buildType = buildType
            self.environmentVariables = environmentVariables
        }
    }

    /// The command line that runs `build`; the sandbox's output goes to this process's stdout
    /// and stderr (the build log).
    public func arguments(for build: Build) -> [String] {
        let buildUser = Self.buildUser
        return ["unshare", "--map-root-user",
                "--map-users=\(userIDs.start),1,\(min(userIDs.count, 65535))",
                "--map-groups=\(groupIDs.start),1,\(min(groupIDs.count, 65535))",
                "--mount", "--net", "--pid", "--ipc", "--uts", "--fork", "--kill-child", "--propagation", "private",
                "/bin/sh", "-c", Self.script, "sandbox",
                build.environment, build.mountPoint, build.sources, build.dsc, build.output, build.buildPath, build.buildType,
                String(limits.diskBytes), String(limits.memoryBytes), String(limits.processes), String(buildUser)]
            + ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/nonexistent", "LOGNAME=builder", "USER=builder"]
            + build.environmentVariables
    }

    /// Runs `build`; its exit status: 0 built, 75 the sandbox could not be set up, other: the
    /// build failed.
    public func run(_ build: Build) -> Int32 {
        let process: Subprocess
        do {
            process = try Subprocess.start(arguments(for: build), environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C.UTF-8"],
                                           searchPath: true, stdout: 1, stderr: 2, ownGroup: false)
        } catch {
            printToStandardError("sandbox: \(error)")
            return Self.exitSetupFailed
        }
        switch process.wait(seconds: nil) {
        case .exited(let status): return status
        case .signalled(let signal): return 128 + signal
        case nil: return Self.exitSetupFailed
        }
    }

    /// The namespace root's part, in the shell every environment has. Every value arrives as
    /// an argument, never spliced into the text.
    static let script = #"""
        set -u
        fail() { echo "sandbox: $*" >&2; exit 75; }
        environment=$1 root=$2 sources=$3 dsc=$4 output=$5 build_path=$6 build_type=$7
        disk=$8 memory=$9; shift 9
        processes=$1 user=$2; shift 2
        parent=${build_path%/*}; [ -n "$parent" ] || parent=/
        name=${build_path##*/}
        mount -t tmpfs -o "size=$disk,mode=0755" rebuild "$root" || fail "cannot mount the build tmpfs on $root"
        tar -C "$root" --exclude='./dev/*' -xf "$environment" || fail "cannot unpack the environment $environment"
        mkdir -p "$root/dev" "$root/proc" "$root/sources" "$root/tmp" || fail "cannot make the sandbox's directories"
        mount -t tmpfs -o mode=0755,size=1m devices "$root/dev" || fail "cannot mount /dev"
        for device in null zero full random urandom tty; do
            : > "$root/dev/$device" && mount --bind "/dev/$device" "$root/dev/$device" || fail "cannot bind /dev/$device"
        done
        ln -s /proc/self/fd "$root/dev/fd"; ln -s fd/0 "$root/dev/stdin"; ln -s fd/1 "$root/dev/stdout"; ln -s fd/2 "$root/dev/stderr"
        mkdir "$root/dev/pts" "$root/dev/shm" && mount -t tmpfs -o mode=1777 shm "$root/dev/shm" || fail "cannot mount /dev/shm"
        mount -t proc proc "$root/proc" || fail "cannot mount /proc"
        mount --bind "$sources" "$root/sources" && mount -o remount,bind,ro "$root/sources" || fail "cannot bind the sources"
        chmod 1777 "$root/tmp"
        echo "builder:x:$user:$user:rebuild:/nonexistent:/bin/sh" >> "$root/etc/passwd"
        echo "builder:x:$user:" >> "$root/etc/group"
        mkdir -p "$root$parent" && chown "$user:$user" "$root$parent" || fail "cannot make $parent"
        echo "sandbox: building as uid $user in $build_path: no network, only /sources of the host," \
            "$disk bytes of disk, $memory bytes of address space per process, $processes processes"
        (
            umask 022
            exec prlimit --as="$memory" --nproc="$processes" chroot "$root" /usr/bin/env -i "$@" /usr/bin/setpriv --reuid="$user" --regid="$user" --clear-groups \
                --no-new-privs --inh-caps=-all --bounding-set=-all \
                /bin/sh -c 'cd "$1" && dpkg-source --no-check -x "/sources/$2" "$3" && cd "$3" && exec dpkg-buildpackage "$4" -us -uc' \
                build "$parent" "$dsc" "$name" "$build_type"
        )
        status=$?
        kill -KILL -1 2>/dev/null
        find "$root$parent" -maxdepth 1 -type f -exec cp -- {} "$output/" \; || fail "cannot copy the results to $output"
        exit $status
        """#
}

@inline(__always)
func printToStandardError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}
