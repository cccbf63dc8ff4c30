/// A forge that sends webhooks: the headers it uses and how it proves a delivery is its own.
public enum Forge: String, Sendable, CaseIterable {
    case github, gitlab

    var path: String { "hooks/\(rawValue)" }
    var eventHeader: String { self == .github ? "X-GitHub-Event" : "X-Gitlab-Event" }
    var deliveryHeader: String { self == .github ? "X-GitHub-Delivery" : "X-Gitlab-Event-UUID" }
    var authenticationHeader: String { self == .github ? "X-Hub-Signature-256" : "X-Gitlab-Token" }

    func authenticates(_ header: String?, body: [UInt8], secret: [UInt8]) -> Bool {
        switch self {
        case .github: return HookAuthentication.hubSignatureMatches(header, body: body, secret: secret)
        case .gitlab: return HookAuthentication.tokenMatches(header, secret: secret)
        }
    }

    func decide(event: String?, body: [UInt8]) -> HookDecision {
        switch self {
        case .github: return HookDecision.github(event: event, body: body)
        case .gitlab: return HookDecision.gitlab(event: event, body: body)
        }
    }
}
