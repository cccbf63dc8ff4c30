import Foundation

/// What one authenticated delivery asks for, decided from its event name and JSON body alone.
public enum HookDecision: Equatable, Sendable {
    /// A push: ask the get stage for an early run of the configured specs.
    case requestGet
    /// A new comment holding a clearsigned block: the block, for the commands stage to verify.
    case command(String)
    /// Something this receiver does not act on (ping, other events, comments without a block).
    case ignore(String)
    /// Not a delivery at all.
    case refuse(String)

    /// GitHub: `X-GitHub-Event` and the body.
    public static func github(event: String?, body: [UInt8]) -> HookDecision {
        guard let event, !event.isEmpty else { return .refuse("no X-GitHub-Event header") }
        guard let json = object(body) else { return .refuse("the body is not a JSON object") }
        switch event {
        case "push": return .requestGet
        case "issue_comment":
            guard json["action"] as? String == "created" else { return .ignore("issue_comment \(json["action"] as? String ?? "without action")") }
            return comment((json["comment"] as? [String: Any])?["body"] as? String)
        default:
            return .ignore("event \(event)")
        }
    }

    /// GitLab: `X-Gitlab-Event` and the body.
    public static func gitlab(event: String?, body: [UInt8]) -> HookDecision {
        guard let event, !event.isEmpty else { return .refuse("no X-Gitlab-Event header") }
        guard let json = object(body) else { return .refuse("the body is not a JSON object") }
        switch event {
        case "Push Hook": return .requestGet
        case "Note Hook":
            let note = json["object_attributes"] as? [String: Any]
            guard (note?["action"] as? String).map({ $0 == "create" }) ?? true else { return .ignore("note \(note?["action"] as? String ?? "")") }
            return comment(note?["note"] as? String)
        default:
            return .ignore("event \(event)")
        }
    }

    private static func comment(_ text: String?) -> HookDecision {
        guard let text else { return .ignore("a comment without text") }
        guard let block = ClearsignedBlock.extract(from: text) else { return .ignore("a comment without exactly one clearsigned block") }
        return .command(block)
    }

    private static func object(_ body: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }
}
