internal import CGPGME

/// One Assuan connection to gpg-agent through GPGME (protocol `GPGME_PROTOCOL_ASSUAN`), used for a few commands
/// and closed when it goes out of scope. Connecting to a Unix socket is cheap, so each signature has its own
/// session: nothing is shared between threads.
struct AgentSession: ~Copyable {
    /// A failed command: the transport error (cannot connect, agent gone) or the agent's own `ERR`.
    struct Failure: Error {
        var command: String
        var error: gpgme_error_t
        /// True when the agent could not be reached at all.
        var transport: Bool
    }

    private let context: gpgme_ctx_t

    init(socket: String, operation: String) throws(OpenPGPError) {
        guard GPGME.version != nil else {
            throw OpenPGPError(operation: operation, message: "the GPGME library failed to initialize")
        }
        var made: gpgme_ctx_t?
        var error = gpgme_new(&made)
        guard error == 0, let ctx = made else {
            throw OpenPGPError(operation: operation, message: "cannot create a GPGME context: \(GPGME.describe(error))")
        }
        error = gpgme_set_protocol(ctx, GPGME_PROTOCOL_ASSUAN)
        if error == 0 { error = gpgme_ctx_set_engine_info(ctx, GPGME_PROTOCOL_ASSUAN, socket, nil) }
        guard error == 0 else {
            gpgme_release(ctx)
            throw OpenPGPError(
                operation: operation, message: "cannot set up an Assuan context for \(socket): \(GPGME.describe(error))")
        }
        context = ctx
    }

    /// Sends `command` and returns the data lines the agent sent back (percent-unescaped by GPGME). Inquiries
    /// are refused: none of the commands used here should ask for anything.
    func transact(_ command: String) throws(Failure) -> [UInt8] {
        let received = Received()
        var agentError: gpgme_error_t = 0
        let box = Unmanaged.passUnretained(received).toOpaque()
        let error = gpgme_op_assuan_transact_ext(
            context, command,
            { opaque, data, length in
                guard let opaque, let data else { return 0 }
                let buffer = UnsafeRawBufferPointer(start: data, count: length)
                Unmanaged<Received>.fromOpaque(opaque).takeUnretainedValue().bytes += buffer
                return 0
            }, box, nil, nil, nil, nil, &agentError)
        withExtendedLifetime(received) {}
        if error != 0 { throw Failure(command: command, error: error, transport: true) }
        if agentError != 0 { throw Failure(command: command, error: agentError, transport: false) }
        return received.bytes
    }

    private final class Received {
        var bytes: [UInt8] = []
    }

    deinit { gpgme_release(context) }
}
