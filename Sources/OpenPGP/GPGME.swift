internal import CGPGME
import Foundation

/// Process-wide GPGME set-up and small owners of GPGME objects.
enum GPGME {
    /// `gpgme_check_version` must run once before any other GPGME call and before threads share
    /// GPGME: it sets up the library's thread support (and, if SIGPIPE still has its default
    /// action, sets it to SIG_IGN for the whole process). A global `static let` is initialized
    /// lazily, exactly once, and thread-safely (`swift_once`); every entry point reads it first.
    static let version: String? = gpgme_check_version(nil).map { String(cString: $0) }

    /// GPGME's text for an error value, thread-safely (`gpgme_strerror` is not).
    static func describe(_ error: gpgme_error_t) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        _ = gpgme_strerror_r(error, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func code(_ error: gpgme_error_t) -> gpgme_err_code_t { gpgme_err_code(error) }

    static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

/// One GPGME context for the OpenPGP protocol whose engine (gpg) uses `home` as its GnuPG home,
/// offline, listing only local keys. Released when it goes out of scope.
struct GPGMEContext: ~Copyable {
    let raw: gpgme_ctx_t

    init(home: String, operation: String) throws(OpenPGPError) {
        guard GPGME.version != nil else {
            throw OpenPGPError(operation: operation, message: "the GPGME library failed to initialize")
        }
        var made: gpgme_ctx_t?
        let error = gpgme_new(&made)
        guard error == 0, let ctx = made else {
            throw OpenPGPError(operation: operation, message: "cannot create a GPGME context: \(GPGME.describe(error))")
        }
        if let message = Self.configure(ctx, home: home) {
            gpgme_release(ctx)
            throw OpenPGPError(operation: operation, message: message)
        }
        raw = ctx
    }

    /// nil on success, else what failed.
    private static func configure(_ ctx: gpgme_ctx_t, home: String) -> String? {
        var error = gpgme_set_protocol(ctx, GPGME_PROTOCOL_OpenPGP)
        if error != 0 { return "cannot select the OpenPGP protocol: \(GPGME.describe(error))" }
        error = gpgme_ctx_set_engine_info(ctx, GPGME_PROTOCOL_OpenPGP, nil, home)
        if error != 0 { return "cannot use GnuPG home \(home): \(GPGME.describe(error))" }
        // The keyring is the trust decision (`--trust-model always`): no web-of-trust validity, and
        // no trustdb.gpg needed or written, so a read-only home works. Revocation and expiry are
        // key properties and still reported.
        error = gpgme_set_ctx_flag(ctx, "trust-model", "always")
        if error != 0 { return "cannot set the trust model: \(GPGME.describe(error))" }
        // Offline: gpg runs with --disable-dirmngr, so no keyserver or WKD look-up of missing keys.
        gpgme_set_offline(ctx, 1)
        error = gpgme_set_keylist_mode(ctx, gpgme_keylist_mode_t(GPGME_KEYLIST_MODE_LOCAL))
        if error != 0 { return "cannot set the local key-list mode: \(GPGME.describe(error))" }
        return nil
    }

    deinit { gpgme_release(raw) }
}

/// A GPGME data object holding its own copy of some bytes. Released when it goes out of scope.
struct GPGMEData: ~Copyable {
    let raw: gpgme_data_t

    init(copying bytes: [UInt8], operation: String, what: String) throws(OpenPGPError) {
        let (error, made): (gpgme_error_t, gpgme_data_t?) = bytes.withUnsafeBytes { buffer in
            var made: gpgme_data_t?
            guard let base = buffer.baseAddress, buffer.count > 0 else {
                let error = gpgme_data_new(&made)
                return (error, made)
            }
            // copy = 1: GPGME keeps its own copy, so `bytes` need not outlive this call.
            let error = gpgme_data_new_from_mem(&made, base.assumingMemoryBound(to: CChar.self), buffer.count, 1)
            return (error, made)
        }
        guard error == 0, let data = made else {
            throw OpenPGPError(operation: operation, message: "cannot hold the \(what) in memory: \(GPGME.describe(error))")
        }
        raw = data
    }

    /// An empty data object for GPGME to write into.
    init(operation: String, what: String) throws(OpenPGPError) {
        var made: gpgme_data_t?
        let error = gpgme_data_new(&made)
        guard error == 0, let data = made else {
            throw OpenPGPError(operation: operation, message: "cannot make room for the \(what): \(GPGME.describe(error))")
        }
        raw = data
    }

    /// Everything the data object holds, read from its start.
    func contents(operation: String, what: String) throws(OpenPGPError) -> [UInt8] {
        guard gpgme_data_seek(raw, 0, SEEK_SET) == 0 else {
            throw OpenPGPError(operation: operation, message: "cannot read the \(what) back from GPGME")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { gpgme_data_read(raw, $0.baseAddress, $0.count) }
            guard count >= 0 else {
                throw OpenPGPError(operation: operation, message: "cannot read the \(what) back from GPGME")
            }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
    }

    deinit { gpgme_data_release(raw) }
}
