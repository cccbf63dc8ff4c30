/// The root layout apt-transport-in-toto ships (`data/root.layout`): one step `rebuild` whose links
/// must create the .deb files, and an inspection that matches every local .deb against the
/// products of those links. Only the functionary keys, threshold, expiry and readme vary.
public struct RebuildLayout: Sendable, Equatable {
    public static let stepName = "rebuild"
    public static let inspectionName = "verify-reprobuilds"
    public static let pattern = "*.deb"

    /// The rebuilders' keys; the step authorizes their primary keyids (subkeys implicitly).
    public var keys: [GPGKey]
    /// How many distinct rebuilders must agree.
    public var threshold: Int
    /// Unix time after which clients refuse the layout.
    public var expires: Int
    public var readme: String

    public init(keys: [GPGKey], threshold: Int, expires: Int, readme: String = "") {
        self.keys = keys
        self.threshold = threshold
        self.expires = expires
        self.readme = readme
    }

    /// The `signed` part with exactly the keys in-toto 1.3's Layout, Step and Inspection have.
    public var canonical: CanonicalJSON {
        let step = CanonicalJSON.object([
            ("_type", .string("step")),
            ("name", .string(Self.stepName)),
            ("expected_materials", .array([])),
            ("expected_products", rules([["CREATE", Self.pattern], ["DISALLOW", Self.pattern]])),
            ("pubkeys", .array(keys.map { .string($0.keyid) })),
            ("expected_command", .array([])),
            ("threshold", .int(threshold)),
        ])
        let inspection = CanonicalJSON.object([
            ("_type", .string("inspection")),
            ("name", .string(Self.inspectionName)),
            ("expected_materials", rules([["MATCH", Self.pattern, "WITH", "PRODUCTS", "FROM", Self.stepName], ["DISALLOW", Self.pattern]])),
            ("expected_products", .array([])),
            ("run", .array([.string("/usr/bin/true")])),
        ])
        return .object([
            ("_type", .string("layout")),
            ("steps", .array([step])),
            ("inspect", .array([inspection])),
            ("keys", .object(keys.map { ($0.keyid, $0.canonical) })),
            ("expires", .string(LayoutTime.format(unixTime: expires))),
            ("readme", .string(readme)),
        ])
    }

    /// The unsigned metadata file for the layout owner to sign (`in-toto-sign -f root.layout --gpg KEY`).
    public var metablock: Metablock { Metablock(signed: canonical) }

    private func rules(_ rules: [[String]]) -> CanonicalJSON {
        .array(rules.map { .array($0.map { .string($0) }) })
    }
}
