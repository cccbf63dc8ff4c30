import Glibc

/// What /proc says about a process or the whole machine.
enum ProcessStatus {
    /// Peak (VmHWM) and current (VmRSS) resident memory in KiB.
    static func memory(of pid: Int32) -> (peakKiB: Int, residentKiB: Int)? {
        guard let text = readText("/proc/\(pid)/status") else { return nil }
        var peak: Int?
        var resident: Int?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("VmHWM:") { peak = kibibytes(line) }
            if line.hasPrefix("VmRSS:") { resident = kibibytes(line) }
        }
        guard let peak, let resident else { return nil }
        return (peak, resident)
    }

    /// User plus system CPU seconds the process has used so far.
    static func cpuSeconds(of pid: Int32) -> Double? {
        guard let text = readText("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command name: state is field 3 of stat(5), utime 14 and stime 15.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU seconds this process and its reaped children have used.
    static func ownCPUSeconds() -> Double {
        func seconds(_ who: Int32) -> Double {
            var usage = rusage()
            getrusage(__rusage_who_t(who), &usage)
            return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
                + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        }
        return seconds(RUSAGE_SELF.rawValue) + seconds(RUSAGE_CHILDREN.rawValue)
    }

    private static func kibibytes(_ line: Substring) -> Int? {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int($0) }
    }

    static func readText(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Machine-wide CPU time from /proc/stat (clock ticks), to tell CPU-bound from disk-bound and to
/// notice other work on the machine.
struct SystemCPU: Sendable {
    var busy: Double = 0
    var idle: Double = 0
    var ioWait: Double = 0
    /// Time the hypervisor ran something else while this machine wanted a CPU.
    var steal: Double = 0

    static func snapshot() -> SystemCPU {
        guard let text = ProcessStatus.readText("/proc/stat"),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return SystemCPU() }
        // user nice system idle iowait irq softirq steal (guest time is already in user)
        let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard values.count >= 8 else { return SystemCPU() }
        return SystemCPU(busy: values[0] + values[1] + values[2] + values[5] + values[6], idle: values[3],
                         ioWait: values[4], steal: values[7])
    }

    struct Usage: Codable, Sendable {
        /// Shares of all CPUs' time.
        var busyShare: Double
        var ioWaitShare: Double
        var stealShare: Double
        var busySeconds: Double
    }

    func usage(since earlier: SystemCPU) -> Usage {
        let busy = self.busy - earlier.busy, idle = self.idle - earlier.idle
        let ioWait = self.ioWait - earlier.ioWait, steal = self.steal - earlier.steal
        let total = busy + idle + ioWait + steal
        guard total > 0 else { return Usage(busyShare: 0, ioWaitShare: 0, stealShare: 0, busySeconds: 0) }
        return Usage(busyShare: busy / total, ioWaitShare: ioWait / total, stealShare: steal / total,
                     busySeconds: busy / Double(sysconf(Int32(_SC_CLK_TCK))))
    }
}
