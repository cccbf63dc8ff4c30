/// A layout's `signed` part read into the one shape this verifier implements — apt-transport-in-toto's
/// root layout: one step with `CREATE p, DISALLOW p` product rules and no material rules, one
/// inspection running `/usr/bin/true` with `MATCH p WITH PRODUCTS FROM step, DISALLOW p`. Anything
/// else is refused rather than half-verified.
struct SupportedLayout {
    var stepName: String
    /// The authorized keyids, in the layout's order (in-toto looks for links in this order).
    var pubkeys: [String]
    var threshold: Int
    /// The step's product pattern.
    var productPattern: Glob
    /// The inspection's MATCH/DISALLOW pattern for local artifacts.
    var artifactPattern: Glob
    /// Layout keys by keyid, in the layout's order.
    var keys: [(keyid: String, key: GPGKey)]
    var expires: String
    var expiresAt: Int

    init(_ signed: CanonicalJSON) throws(AttestationError) {
        try Self.requireMembers(signed, ["_type", "expires", "inspect", "keys", "readme", "steps"], of: "the layout")
        guard signed["_type"]?.stringValue == "layout" else { throw Self.unsupported("_type is not \"layout\"") }
        guard signed["readme"]?.stringValue != nil else { throw Self.unsupported("readme is not a string") }
        guard let expires = signed["expires"]?.stringValue, let expiresAt = LayoutTime.parse(expires) else {
            throw Self.unsupported("expires is not a date as YYYY-MM-DDTHH:MM:SSZ")
        }
        self.expires = expires
        self.expiresAt = expiresAt

        guard let keyMembers = signed["keys"]?.objectMembers else { throw Self.unsupported("keys is not an object") }
        var keys: [(keyid: String, key: GPGKey)] = []
        for member in keyMembers {
            let key: GPGKey
            do {
                key = try GPGKey(json: member.value)
            } catch {
                throw Self.unsupported("keys[\(member.key)]: \(error)")
            }
            guard key.keyid == member.key else { throw Self.unsupported("keys[\(member.key)] holds key \(key.keyid)") }
            keys.append((member.key, key))
        }
        self.keys = keys

        guard let steps = signed["steps"]?.arrayValue, steps.count == 1 else { throw Self.unsupported("not exactly one step") }
        let step = steps[0]
        try Self.requireMembers(step, ["_type", "expected_command", "expected_materials", "expected_products", "name", "pubkeys", "threshold"], of: "the step")
        guard step["_type"]?.stringValue == "step", let stepName = step["name"]?.stringValue else {
            throw Self.unsupported("the step has no _type \"step\" or no name")
        }
        self.stepName = stepName
        guard step["expected_materials"]?.arrayValue?.isEmpty == true else {
            throw Self.unsupported("step \(stepName) has material rules")
        }
        // in-toto only warns about a different command, so any list is fine.
        guard step["expected_command"]?.arrayValue != nil else { throw Self.unsupported("step \(stepName): expected_command is not a list") }
        let products = try Self.rules(step["expected_products"], of: "step \(stepName) expected_products")
        guard products.count == 2, products[0].count == 2, products[0][0] == "CREATE", products[1] == ["DISALLOW", products[0][1]] else {
            throw Self.unsupported("step \(stepName) expected_products are not [CREATE p, DISALLOW p]")
        }
        productPattern = try Self.glob(products[0][1])
        guard let pubkeys = step["pubkeys"]?.arrayValue?.compactMap(\.stringValue), pubkeys.count == step["pubkeys"]?.arrayValue?.count else {
            throw Self.unsupported("step \(stepName): pubkeys is not a list of keyids")
        }
        self.pubkeys = pubkeys
        guard let threshold = step["threshold"]?.intValue, threshold >= 1 else {
            throw Self.unsupported("step \(stepName): threshold is not a positive integer")
        }
        self.threshold = threshold

        guard let inspections = signed["inspect"]?.arrayValue, inspections.count == 1 else {
            throw Self.unsupported("not exactly one inspection")
        }
        let inspection = inspections[0]
        try Self.requireMembers(inspection, ["_type", "expected_materials", "expected_products", "name", "run"], of: "the inspection")
        guard inspection["_type"]?.stringValue == "inspection", let inspectionName = inspection["name"]?.stringValue, inspectionName != stepName else {
            throw Self.unsupported("the inspection has no _type \"inspection\" or no name of its own")
        }
        guard inspection["run"] == .array([.string("/usr/bin/true")]) else {
            throw Self.unsupported("inspection \(inspectionName) runs something other than /usr/bin/true")
        }
        guard inspection["expected_products"]?.arrayValue?.isEmpty == true else {
            throw Self.unsupported("inspection \(inspectionName) has product rules")
        }
        let materials = try Self.rules(inspection["expected_materials"], of: "inspection \(inspectionName) expected_materials")
        guard materials.count == 2, materials[0].count == 6, materials[0][0] == "MATCH",
              Array(materials[0][2...]) == ["WITH", "PRODUCTS", "FROM", stepName], materials[1] == ["DISALLOW", materials[0][1]] else {
            throw Self.unsupported("inspection \(inspectionName) expected_materials are not [MATCH p WITH PRODUCTS FROM \(stepName), DISALLOW p]")
        }
        artifactPattern = try Self.glob(materials[0][1])
    }

    private static func unsupported(_ reason: String) -> AttestationError {
        AttestationError("unsupported layout", reason)
    }

    private static func requireMembers(_ value: CanonicalJSON, _ names: Set<String>, of what: String) throws(AttestationError) {
        guard let members = value.objectMembers else { throw unsupported("\(what) is not an object") }
        let present = Set(members.map(\.key))
        guard present == names else {
            let extra = present.subtracting(names).sorted(), missing = names.subtracting(present).sorted()
            throw unsupported("\(what) has " + [extra.isEmpty ? nil : "unexpected \(extra.joined(separator: ", "))",
                                                missing.isEmpty ? nil : "no \(missing.joined(separator: ", "))"]
                .compactMap { $0 }.joined(separator: " and "))
        }
    }

    private static func rules(_ value: CanonicalJSON?, of what: String) throws(AttestationError) -> [[String]] {
        guard let list = value?.arrayValue else { throw unsupported("\(what) is not a list") }
        var rules: [[String]] = []
        for rule in list {
            guard let words = rule.arrayValue?.compactMap(\.stringValue), words.count == rule.arrayValue?.count else {
                throw unsupported("\(what) has a rule that is not a list of strings")
            }
            rules.append(words)
        }
        return rules
    }

    private static func glob(_ pattern: String) throws(AttestationError) -> Glob {
        guard let glob = Glob(pattern) else { throw unsupported("pattern \"\(pattern)\" uses [...] classes, only * and ? are supported") }
        return glob
    }
}
