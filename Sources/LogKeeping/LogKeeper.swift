import Foundation
import Glibc
import OpenPGP
import RemoteShell
import Spool
import Synchronization

/// The log keeper: listens on a Unix socket, takes each build's output as it runs, stamps and
/// cleans every line, finishes the log when the sender ends it or goes away, and hands it to the
/// committer (signed commit, push, then a signed receipt). The sender's identity is the socket's
/// peer credentials; what the sender says is only the task, attempt and project, checked as names.
///
/// One thread per connection writes straight to the log file, so memory does not grow with a
/// log's size; the commits are made one at a time.
public final class LogKeeper: Sendable {
    public struct Settings: Sendable {
        public var socket: String
        public var directory: String
        public var gnupgHome: String
        public var signingKey: String
        /// Uids allowed to send; empty: anyone who can open the socket.
        public var senders: Set<uid_t>
        public var compressAboveBytes: Int
        public var push: LogRepository.PushTarget?
        /// How often committed logs whose push failed are pushed again.
        public var retrySeconds: Double = 30
        /// Streams taken at once; more connections are closed at once, with a journal line (each
        /// stream is a thread and an open file).
        public var maximumStreams = 512

        public init(socket: String, directory: String, gnupgHome: String, signingKey: String, senders: Set<uid_t>,
                    compressAboveBytes: Int, push: LogRepository.PushTarget?) {
            self.socket = socket
            self.directory = directory
            self.gnupgHome = gnupgHome
            self.signingKey = signingKey
            self.senders = senders
            self.compressAboveBytes = compressAboveBytes
            self.push = push
        }
    }

    let settings: Settings
    let committer: LogCommitter
    let log: @Sendable (String) -> Void
    private let stopping = Atomic<Bool>(false)
    private let connections = Mutex(0)

    public init(settings: Settings, log: @escaping @Sendable (String) -> Void) throws {
        self.settings = settings
        self.log = log
        for name in [KeeperDirectory.repository, KeeperDirectory.incoming, KeeperDirectory.pending, KeeperDirectory.receipts] {
            try FileManager.default.createDirectory(atPath: "\(settings.directory)/\(name)", withIntermediateDirectories: true)
        }
        let repository = LogRepository(path: "\(settings.directory)/\(KeeperDirectory.repository)", gnupgHome: settings.gnupgHome,
                                       signingKey: settings.signingKey, push: settings.push)
        try repository.prepare()
        let signer = try DetachedSigner(home: settings.gnupgHome, fingerprint: settings.signingKey)
        committer = LogCommitter(directory: settings.directory, repository: repository, signer: signer,
                                 compressAboveBytes: settings.compressAboveBytes, log: log)
    }

    /// Asks `run` to return; streams in progress are finished as if their senders went away.
    public func stop() { stopping.store(true, ordering: .relaxed) }

    /// Finishes what an earlier run left, then serves until `stop`. `ready` runs once listening.
    public func run(ready: () -> Void = {}) throws {
        recoverUnfinished()
        let listener = try UnixSocket.listen(at: settings.socket, mode: 0o660)
        defer { close(listener) }
        ready()
        log("listening at \(settings.socket)")
        var lastRetry = Timestamp.now()
        while !stopping.load(ordering: .relaxed) {
            var ready = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            if poll(&ready, 1, 500) > 0 {
                // Children (git, xz) are started by the project's spawner, which closes every other
                // descriptor, so plain accept leaks no connection into them.
                let connection = accept(listener, nil, nil)
                if connection >= 0, connections.withLock({ $0 }) >= settings.maximumStreams {
                    log("refused a connection: \(settings.maximumStreams) streams are open")
                    close(connection)
                } else if connection >= 0 {
                    _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
                    connections.withLock { $0 += 1 }
                    let thread = Thread { [self] in
                        serve(connection)
                        connections.withLock { $0 -= 1 }
                    }
                    thread.name = "log-stream"
                    thread.start()
                }
            }
            if Timestamp.now() - lastRetry > settings.retrySeconds {
                lastRetry = Timestamp.now()
                if committer.hasPending { committer.publishPendingNow() }
            }
        }
        // Streams still open are cut short by their threads' next read failing; wait for them.
        while connections.withLock({ $0 }) > 0 { usleep(100_000) }
        log("stopped")
    }

    /// Logs a stopped keeper left in `incoming/`: each gets a last line saying so, and is
    /// committed like any other.
    func recoverUnfinished() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: committer.incoming)) ?? []
        for meta in names.filter({ $0.hasSuffix(".meta") && !$0.hasPrefix(".") }).sorted() {
            let id = String(meta.dropLast(".meta".count))
            let path = "\(committer.incoming)/\(IncomingLog.logName(id))"
            let descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
            if descriptor >= 0 {
                let stamper = LineStamper(descriptor: descriptor)
                stamper.note("the log keeper stopped before this log ended; it was finished when the keeper started again")
                stamper.flush()
                fsync(descriptor)
                close(descriptor)
            }
            log("finishing \(id), left unfinished by an earlier run")
            committer.keep(id)
        }
        if committer.hasPending { committer.publishPendingNow() }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        let peer: PeerCredentials
        do {
            peer = try PeerCredentials(socket: connection)
        } catch {
            log("refused a connection: \(error)")
            return
        }
        guard settings.senders.isEmpty || settings.senders.contains(peer.uid) else {
            log("refused a stream from \(peer): uid \(peer.uid) is not one of the configured senders")
            return
        }
        // The header comes at once; the build itself may then be silent for hours.
        UnixSocket.setTimeout(connection, option: SO_RCVTIMEO, seconds: 30)
        let reader = FrameReader(descriptor: connection)
        let header: LogStreamHeader
        do {
            guard case .frame(.header, let payload) = try reader.next() else { throw LogStreamError("the stream does not start with a header") }
            header = try LogStreamHeader(parsing: payload)
        } catch {
            log("refused a stream from \(peer): \(error)")
            return
        }
        UnixSocket.setTimeout(connection, option: SO_RCVTIMEO, seconds: 1)
        let incoming: IncomingLog
        let descriptor: Int32
        do {
            (incoming, descriptor) = try IncomingLog.create(in: committer.incoming, header: header, sender: peer.description, at: Timestamp.now())
        } catch {
            log("cannot take the log of \(header.task) attempt \(header.attempt) from \(peer): \(error)")
            return
        }
        let stamper = LineStamper(descriptor: descriptor)
        stamper.note("log of task \(header.task) attempt \(header.attempt) of \(header.project), sent by \(peer) (from the socket)")
        receive(reader, into: stamper, peer: peer)
        stamper.flush()
        let writeError = stamper.writeError
        fsync(descriptor)
        close(descriptor)
        if let writeError {
            log("the log \(incoming.id) of \(header.task) could not be written whole: \(String(cString: strerror(writeError)))")
        }
        committer.keep(incoming.id)
    }

    /// Copies frames into the log until the sender ends it, goes away, or breaks the protocol.
    private func receive(_ reader: FrameReader, into stamper: LineStamper, peer: PeerCredentials) {
        while true {
            let next: FrameReader.Next
            do {
                next = try reader.next(data: { stamper.take($0) })
            } catch {
                stamper.note("the stream broke off: \(error)")
                return
            }
            switch next {
            case .frame(.end, let payload):
                stamper.note("end of log; the sender says: \(String(decoding: payload, as: UTF8.self))")
                return
            case .frame(.header, _):
                stamper.note("the stream broke off: a second header")
                return
            case .frame(.data, _):
                continue
            case .idle:
                if stopping.load(ordering: .relaxed) {
                    stamper.note("the log keeper was stopped before the sender ended the log")
                    return
                }
            case .closed:
                stamper.note("the sender (\(peer)) went away without ending the log")
                return
            }
        }
    }
}
