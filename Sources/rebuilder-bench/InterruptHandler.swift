import Dispatch
import Glibc
import Synchronization

/// Set on SIGINT/SIGTERM/SIGHUP; long loops of the main thread check it and stop.
let interruptRequested = Atomic<Bool>(false)

struct Interrupted: Error, CustomStringConvertible {
    var description: String { "interrupted" }

    static func check() throws {
        if interruptRequested.load(ordering: .relaxed) { throw Interrupted() }
    }
}

/// On SIGINT, SIGTERM or SIGHUP: stop every daemon the bench started, remove its directory, exit.
final class InterruptHandler {
    private let sources: [any DispatchSourceSignal]

    init(cleanUp: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM, SIGHUP].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                Progress.note("signal \(signalNumber): stopping the daemons and removing the work directory")
                interruptRequested.store(true, ordering: .relaxed)
                cleanUp()
                _exit(128 + signalNumber)
            }
            source.resume()
            return source
        }
    }

    deinit { for source in sources { source.cancel() } }
}
