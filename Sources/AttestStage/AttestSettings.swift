import RebuilderSettings
import LogKeeping

/// What the attest stage needs: where to publish, the keyring, and each distribution's keys.
public struct AttestSettings: Sendable {
    /// The fingerprints of `in-toto-sign-key-fpr` and `in-toto-sign-key-unreproducible-fpr` for
    /// one distribution section (with [common] filled in).
    public struct Keys: Sendable, Equatable {
        public var reproducible: String?
        public var unreproducible: String?

        public init(reproducible: String?, unreproducible: String?) {
            self.reproducible = reproducible
            self.unreproducible = unreproducible
        }

        public static let configurationKeys = (reproducible: DistributionSettings.KeyName.signingKey,
                                               unreproducible: DistributionSettings.KeyName.unreproducibleSigningKey)
    }

    public var publishedRoot: String
    public var gnupgHome: String
    /// Distribution section name → its keys; a distribution missing here has none.
    public var keys: [String: Keys]
    /// With the log keeper in use: the check a task's build log receipt must pass before anything
    /// of it is signed, and how many times a missing receipt is waited for.
    public var receipts: ReceiptCheck?
    public var receiptAttempts: Int

    public init(publishedRoot: String, gnupgHome: String, keys: [String: Keys], receipts: ReceiptCheck? = nil, receiptAttempts: Int = 10) {
        self.publishedRoot = publishedRoot
        self.gnupgHome = gnupgHome
        self.keys = keys
        self.receipts = receipts
        self.receiptAttempts = receiptAttempts
    }
}

extension AttestSettings {
    /// From [publish] and each distribution section's signing keys ([common] filling in).
    public init(configuration: RebuilderConfiguration) {
        self.init(publishedRoot: configuration.publish.root, gnupgHome: configuration.publish.gnupgHome,
                  keys: Dictionary(uniqueKeysWithValues: configuration.presentDistributions.map {
                      ($0.name, Keys(reproducible: $0.signingKey, unreproducible: $0.unreproducibleSigningKey))
                  }),
                  receipts: configuration.logKeeper.map { ReceiptCheck(directory: $0.directory, keyring: $0.keyring) },
                  receiptAttempts: configuration.logKeeper?.receiptAttempts ?? 10)
    }
}
