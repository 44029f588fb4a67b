import InitiumCore
import InitiumNN
import InitiumSpec

/// An initialization scheme as a value: what a user types (`he-normal(gain=tanh)`), parsed into a
/// rule. It prints back to the same string, encodes to JSON as that string, compares equal by
/// it, and is applied as a pure function of (scheme, layout or model, key).
///
/// Every scheme fills a single tensor (``sample(_:key:context:)``). Schemes whose paper is a
/// recipe for a whole network (Fixup, LSUV, ZerO's ResNet variant, SIREN's first layer, …) also
/// carry a model-level recipe that ``apply(to:context:)`` runs instead of filling each layer alike.
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

    /// A tensor rule, a model recipe, or both.
    struct Rule: Sendable {
        let tensor: (any TensorInitializer)?
        let model: (any ModelInitializer)?

        static func tensor(_ rule: any TensorInitializer) -> Rule { Rule(tensor: rule, model: nil) }
        static func model(_ recipe: any ModelInitializer) -> Rule { Rule(tensor: nil, model: recipe) }
        static func both(_ rule: any TensorInitializer, _ recipe: any ModelInitializer) -> Rule { Rule(tensor: rule, model: recipe) }
    }

    /// Parses a scheme from the catalog (see ``SchemeCatalog``); throws ``InitiumError``.
    public init(_ text: String) throws {
        self = try InitiumError.reportingSpecErrors { try Scheme(parsing: text) }
    }

    private init(parsing text: String) throws {
        let spec = try SpecSyntax(parsing: text, kind: SchemeCatalog.kind)
        guard let entry = SchemeCatalog.entry(named: spec.name) else {
            throw InitiumError.invalidSpec(
                kind: SchemeCatalog.kind, spec: text,
                reason: "unknown scheme; `initium schemes` lists them: " + SchemeCatalog.entries.map(\.name).joined(separator: ", "))
        }
        try spec.requireOnly(entry.parameters.map(\.name), kind: SchemeCatalog.kind)
        self.spec = spec
        self.rule = try entry.make(spec)
    }

    /// The scheme as typed; parses back to an equal scheme.
    public var description: String { spec.description }

    /// Whether the scheme can only initialize whole models (no single-tensor rule).
    public var isModelLevel: Bool { rule.tensor == nil }

    /// Whether applying the scheme to a model runs a model-level recipe (roles, depth or data
    /// decide each layer's rule) rather than the same tensor rule for every layer.
    public var hasModelRecipe: Bool { rule.model != nil }

    /// Draws one weight tensor for `layout`. `context` supplies the network's activation for
    /// schemes that need it (`gain=exact`, `eoc`); without one, those throw.
    public func sample(_ layout: WeightLayout, key: RandomKey, context: InitializationContext? = nil) throws -> Tensor {
        guard let tensorRule = rule.tensor else {
            throw InitiumError.invalidArgument("\(spec) initializes whole models; apply it to a model instead of a single tensor")
        }
        return try tensorRule.weight(for: layout, key: key, context: context ?? InitializationContext(key: key))
    }

    /// Overwrites `tensor` (whose shape must be `layout.shape`) with the scheme's weight, in place
    /// when the rule can (random fills reuse the buffer, as `torch.nn.init.normal_(w)` does).
    public func fill(_ tensor: inout Tensor, layout: WeightLayout, key: RandomKey, context: InitializationContext? = nil) throws {
        guard tensor.shape == layout.shape else {
            throw InitiumError.shapeMismatch(operation: "Scheme.fill(\(spec))", lhs: tensor.shape, rhs: layout.shape)
        }
        guard let tensorRule = rule.tensor else {
            throw InitiumError.invalidArgument("\(spec) initializes whole models; apply it to a model instead of a single tensor")
        }
        try tensorRule.fill(&tensor, layout: layout, key: key, context: context ?? InitializationContext(key: key))
    }

    /// Initializes every layer of `model` (or runs the model-level recipe), returning the log.
    @discardableResult
    public func apply(to model: any Module, context: InitializationContext) throws -> InitializationLog {
        if let recipe = rule.model { return try recipe.initialize(model, context: context) }
        guard let tensorRule = rule.tensor else {
            throw InitiumError.internalFailure("\(spec) has neither a tensor rule nor a model recipe")
        }
        return try LayerwiseInitializer(rule: tensorRule, name: spec.description).initialize(model, context: context)
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
