/// Why an artifact did not pass, in the order in-toto's `in_toto_verify` checks.
public enum VerificationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case noLayoutKeys
    /// A trusted layout key has no signature on the layout.
    case layoutNotSigned(keyid: String)
    case layoutSignature(SignatureRejection)
    case layoutExpired(expires: String)
    /// Fewer links found under authorized keyids than the threshold; `notes` says what happened to
    /// each link that was given.
    case linksMissing(step: String, required: Int, found: Int, notes: [String])
    /// Fewer links validly signed by distinct authorized keys than the threshold.
    case thresholdNotMet(step: String, required: Int, valid: Int, notes: [String])
    /// With a threshold above 1, every counted link must record the same materials and products.
    case linksDisagree(step: String, fileNames: [String])
    /// A product rule of the step refused the link's products.
    case productRule(step: String, rule: String, products: [String])
    /// The layout's inspection rules do not mention the artifact, so they would prove nothing about it.
    case notCovered(artifact: String, pattern: String)
    case notInLink(artifact: String, step: String)
    case hashDiffers(artifact: String, step: String, recorded: String, local: String)

    public var description: String {
        switch self {
        case .noLayoutKeys: "no layout keys to check the layout with"
        case .layoutNotSigned(let keyid): "layout has no signature by trusted key \(keyid)"
        case .layoutSignature(let rejection): "layout signature: \(rejection)"
        case .layoutExpired(let expires): "layout expired at \(expires)"
        case .linksMissing(let step, let required, let found, let notes):
            "step \(step) needs \(required) link(s) by authorized keys, found \(found)" + Self.details(notes)
        case .thresholdNotMet(let step, let required, let valid, let notes):
            "step \(step) needs \(required) link(s) validly signed by distinct authorized keys, found \(valid)" + Self.details(notes)
        case .linksDisagree(let step, let fileNames):
            "links for step \(step) record different artifacts: \(fileNames.joined(separator: ", "))"
        case .productRule(let step, let rule, let products):
            "step \(step) rule '\(rule)' refused product(s) \(products.joined(separator: ", "))"
        case .notCovered(let artifact, let pattern): "\(artifact) does not match the layout's pattern \(pattern)"
        case .notInLink(let artifact, let step): "no product \(artifact) in the \(step) link"
        case .hashDiffers(let artifact, let step, let recorded, let local):
            "\(artifact) differs from the \(step) link's product: link has \(recorded), local sha256 is \(local)"
        }
    }

    private static func details(_ notes: [String]) -> String {
        notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"
    }
}
