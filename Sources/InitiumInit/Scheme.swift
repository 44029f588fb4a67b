import InitiumNN
/// An initialization scheme as a value: what a user types (`he-normal(gain=tanh)`), parsed into a
/// rule. It prints back to the same string, encodes to JSON as that string, compares equal by
/// it, and is applied as a pure function of (scheme, layout or model, key).
///
/// ```swift
/// let scheme = try Scheme("glorot-uniform(gain=1)")
/// let w = try scheme.sample(WeightLayout([256, 784]), key: RandomKey(seed: 0))
/// try scheme.apply(to: model, context: InitializationContext(key: RandomKey(seed: 0)))
/// ```
public struct Scheme: Sendable, Hashable, CustomStringConvertible, Codable {
    /// The normalized spec.
    public let spec: SpecSyntax
    let rule: Rule

    enum Rule: Sendable {
        case tensor(any TensorInitializer)
        case model(any ModelInitializer)
    }

    /// Parses a scheme from the catalog (see ``SchemeCatalog``).
    public init(_ text: String) throws {
        let spec = try SpecSyntax(parsing: text, kind: "initialization scheme")
        guard let entry = SchemeCatalog.entry(named: spec.name) else {
            throw InitiumError.invalidSpec(
                kind: "initialization scheme", spec: text,
                reason: "unknown scheme; `initium schemes` lists them: " + SchemeCatalog.entries.map(\.name).joined(separator: ", "))
        }
        try spec.requireOnly(entry.parameters.map(\.name), kind: "initialization scheme")
        self.spec = spec
        self.rule = try entry.make(spec)
    }

    /// The scheme as typed; parses back to an equal scheme.
    public var description: String { spec.description }

    /// Whether the scheme initializes whole models only (it needs the architecture or data).
    public var isModelLevel: Bool {
        if case .model = rule { return true }
        return false
    }

    /// Draws one weight tensor. Throws for model-level schemes, which need a whole model.
    public func sample(_ layout: WeightLayout, key: RandomKey, context: InitializationContext? = nil) throws -> Tensor {
        guard case let .tensor(rule) = rule else {
            throw InitiumError.invalidArgument("\(spec) initializes whole models; apply it to a model instead of a single tensor")
        }
        return try rule.weight(for: layout, key: key, context: context ?? InitializationContext(key: key))
    }

    /// Initializes every layer of `model` (or runs the model-level recipe), returning the log.
    @discardableResult
    public func apply(to model: any Module, context: InitializationContext) throws -> InitializationLog {
        switch rule {
        case let .tensor(rule): return try LayerwiseInitializer(rule: rule, name: spec.description).initialize(model, context: context)
        case let .model(recipe): return try recipe.initialize(model, context: context)
        }
    }

    public static func == (lhs: Scheme, rhs: Scheme) -> Bool { lhs.spec == rhs.spec }
    public func hash(into hasher: inout Hasher) { hasher.combine(spec) }

    /// Decodes from the spec string.
    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes as the spec string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
