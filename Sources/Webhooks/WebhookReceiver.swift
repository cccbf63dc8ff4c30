import Crypto
import FileSystem
import Foundation
import Hexadecimal
import HTTPTypes
import Hummingbird
import UntrustedText

/// The webhook receiver: authenticates each delivery (HMAC or token, constant time) before it
/// reads anything else in it, then turns a push into a request file for the get stage and a new
/// comment's clearsigned block into a file for the commands stage. It trusts nothing the sender
/// says beyond what the authentication covers, holds no key that signs anything, and writes only
/// into those two directories. Every request is logged: forge, delivery id, event, decision, status.
public struct WebhookReceiver: Sendable {
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        /// Per forge, its shared secret; a forge without one is not served (404).
        public var secrets: [Forge: [UInt8]]
        public var maximumBodyBytes: Int
        /// What a push asks the get stage for: these specs, or every spec when empty.
        public var specs: [String]
        /// `<spool>/get/requests`.
        public var requests: String
        public var commandInbox: String
        public var ledger: SightingLedger

        public init(host: String, port: Int, secrets: [Forge: [UInt8]], maximumBodyBytes: Int, specs: [String], requests: String,
                    commandInbox: String, ledger: SightingLedger) {
            self.host = host
            self.port = port
            self.secrets = secrets
            self.maximumBodyBytes = maximumBodyBytes
            self.specs = specs
            self.requests = requests
            self.commandInbox = commandInbox
            self.ledger = ledger
        }
    }

    public let settings: Settings
    let log: @Sendable (String) -> Void

    public init(settings: Settings, log: @escaping @Sendable (String) -> Void) {
        self.settings = settings
        self.log = log
    }

    /// Serves until the process is asked to stop (SIGTERM, SIGINT); `listening` gets the port.
    public func run(listening: @escaping @Sendable (Int) -> Void) async throws {
        let router = Router()
        for forge in Forge.allCases {
            router.post(RouterPath(forge.path)) { request, context in await self.receive(request, forge: forge, context: context) }
            for method in [HTTPRequest.Method.get, .put, .delete, .patch, .head] {
                router.on(RouterPath(forge.path), method: method) { _, _ in
                    Response(status: .methodNotAllowed, headers: [.allow: "POST"])
                }
            }
        }
        let application = Application(router: router, configuration: .init(address: .hostname(settings.host, port: settings.port)),
                                      onServerRunning: { channel in listening(channel.localAddress?.port ?? 0) })
        settings.ledger.prune()
        try await application.runService()
    }

    func receive(_ request: Request, forge: Forge, context: some RequestContext) async -> Response {
        func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { request.headers[$0] } }
        let delivery = header(forge.deliveryHeader)
        let event = header(forge.eventHeader)
        func answer(_ status: HTTPResponse.Status, _ decision: String) -> Response {
            let shownDelivery = delivery.map { UntrustedText.escaped($0, shown: .printableASCII, limit: 80) } ?? "-"
            let shownEvent = event.map { UntrustedText.escaped($0, shown: .printableASCII, limit: 40) } ?? "-"
            log("\(forge.rawValue) delivery=\(shownDelivery) event=\(shownEvent) status=\(status.code): \(decision)")
            return Response(status: status, body: ResponseBody(byteBuffer: ByteBuffer(string: decision + "\n")))
        }
        guard let secret = settings.secrets[forge] else { return answer(.notFound, "no secret configured for \(forge.rawValue)") }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > settings.maximumBodyBytes {
            return answer(.contentTooLarge, "refused: the body is over \(settings.maximumBodyBytes) bytes")
        }
        let body: [UInt8]
        do {
            body = Array(buffer: try await request.body.collect(upTo: settings.maximumBodyBytes))
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            return answer(.contentTooLarge, "refused: the body is over \(settings.maximumBodyBytes) bytes")
        } catch {
            return answer(.badRequest, "refused: the body could not be read")
        }
        guard forge.authenticates(header(forge.authenticationHeader), body: body, secret: secret) else {
            return answer(.forbidden, "refused: \(forge.authenticationHeader) is missing or does not match")
        }
        let decision = forge.decide(event: event, body: body)
        if case .refuse(let why) = decision { return answer(.badRequest, "refused: \(why)") }
        let identity: String
        if let delivery, !delivery.isEmpty, delivery.utf8.count <= 200 {
            identity = delivery
        } else if forge == .github {
            return answer(.badRequest, "refused: no usable \(forge.deliveryHeader)")
        } else {
            // Older GitLab sends no delivery id: the body stands for it.
            identity = Hex.lowercase(SHA256.hash(data: body))
        }
        do {
            guard try settings.ledger.sight("\(forge.rawValue)\n\(identity)") == .first else {
                return answer(.conflict, "refused: delivery already taken (a replay)")
            }
        } catch {
            return answer(.serviceUnavailable, "cannot record the delivery: \(error)")
        }
        let name = "\(forge.rawValue)-\(Hex.lowercase(SHA256.hash(data: Array(identity.utf8))).prefix(32))"
        do {
            switch decision {
            case .requestGet:
                try AtomicFile.write(Array(settings.specs.map { "\($0)\n" }.joined().utf8), to: "\(settings.requests)/\(name)", durability: .file)
                return answer(.accepted, "get requested for \(settings.specs.isEmpty ? "every spec" : settings.specs.joined(separator: " "))")
            case .command(let block):
                try AtomicFile.write(Array(block.utf8), to: "\(settings.commandInbox)/\(name).asc", durability: .file)
                return answer(.accepted, "clearsigned block of \(block.utf8.count) bytes queued for the commands stage")
            case .ignore(let why):
                return answer(.ok, "ignored: \(why)")
            case .refuse(let why):
                return answer(.badRequest, "refused: \(why)")
            }
        } catch {
            return answer(.serviceUnavailable, "cannot queue it: \(error)")
        }
    }
}
