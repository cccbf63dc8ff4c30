import Foundation

/// Turns SIGTERM, SIGINT and SIGHUP into a call on an ordinary thread. The signals are blocked in
/// every thread (call `blockSignals` before starting any) and taken with sigwait, so no handler
/// runs in an arbitrary context; jobs get the mask reset when they are spawned.
public enum SignalWaiter {
    public static let handled: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    public static func blockSignals() {
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    public static func start(_ onSignal: @escaping @Sendable (Int32) -> Void) {
        let thread = Thread {
            var set = signalSet()
            while true {
                var received: Int32 = 0
                if sigwait(&set, &received) == 0 { onSignal(received) }
            }
        }
        thread.name = "signals"
        thread.start()
    }

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in handled { sigaddset(&set, signal) }
        return set
    }
}
