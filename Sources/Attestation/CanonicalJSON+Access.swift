/// Reading parsed documents: each accessor is nil when the value has another type.
extension CanonicalJSON {
    /// The member named `key`, compared as UTF-8 bytes (not by Unicode canonical equivalence).
    public subscript(key: String) -> CanonicalJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key.utf8.elementsEqual(key.utf8) }?.value
    }

    public var objectMembers: [(key: String, value: CanonicalJSON)]? {
        if case .object(let members) = self { members } else { nil }
    }

    public var arrayValue: [CanonicalJSON]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    public var stringValue: String? {
        if case .string(let text) = self { text } else { nil }
    }

    /// The integer's decimal digits as written (any size).
    public var integerDigits: String? {
        if case .integer(let digits) = self { digits } else { nil }
    }

    /// The integer when it fits an `Int`.
    public var intValue: Int? { integerDigits.flatMap { Int($0) } }

    /// A short name for the value's type, for error messages.
    public var typeName: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .integer: "integer"
        case .bool: "boolean"
        case .null: "null"
        }
    }
}
