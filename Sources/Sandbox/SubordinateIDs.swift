import Foundation
import Glibc

/// The block of user or group ids this user may map into a user namespace (`/etc/subuid`,
/// `/etc/subgid`, as newuidmap reads them): the sandbox's build user lives there, so on the
/// host it is an id nobody else has.
public struct SubordinateIDs: Sendable, Equatable {
    public var start: UInt32
    public var count: UInt32

    public init(start: UInt32, count: UInt32) {
        self.start = start
        self.count = count
    }

    /// The first block `file` grants to the current user (by name or by number).
    public static func granted(in file: String) throws(SandboxError) -> SubordinateIDs {
        let uid = getuid()
        let name = getpwuid(uid).map { String(cString: $0.pointee.pw_name) }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw SandboxError("cannot read \(file): the sandbox maps its build user from there "
                + "(add a line such as `\(name ?? String(uid)):100000:65536`, e.g. with usermod --add-subuids)")
        }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 3, String(fields[0]) == name || fields[0] == String(uid),
                  let start = UInt32(fields[1]), let count = UInt32(fields[2]) else { continue }
            return SubordinateIDs(start: start, count: count)
        }
        throw SandboxError("\(file) grants no ids to \(name ?? String(uid)): the sandbox maps its build user from there "
            + "(add a line such as `\(name ?? String(uid)):100000:65536`, e.g. with usermod --add-subuids)")
    }
}
