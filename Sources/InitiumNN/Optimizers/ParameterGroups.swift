import InitiumCore

/// How an optimizer treats each parameter, decided once from the model (PyTorch's parameter
/// groups): whether weight decay applies to it and the factor its learning rate is multiplied by.
///
/// Under AdamW, weight decay applies by default only to the weights of weighted layers (Linear,
/// Conv2d, …): biases, normalization parameters and embedding tables (``WeightKind/embedding`` or
/// the roles ``LayerRole/embedding`` and ``LayerRole/positionEmbedding``) are not decayed, the
/// practice of nanoGPT, Hugging Face's `Trainer` and timm (Loshchilov & Hutter, "Decoupled Weight
/// Decay Regularization", ICLR 2019, decay weights; decaying a LayerNorm gain or a bias only
/// shrinks a scale the next layer undoes). SGD and Adam with L2 decay every parameter, PyTorch's
/// behaviour for a plain `model.parameters()` (and the recipes of the lottery-ticket and pruning
/// papers); ``OptimizerConfiguration/decaysAllParameters`` asks for that under AdamW too.
///
/// A learning-rate multiplier m makes that parameter's step use η·m (for AdamW its decoupled decay
/// too, w ← w(1 − η·m·λ), as a PyTorch parameter group with `lr = η·m`): μP's per-layer rates
/// (Yang et al., "Tensor Programs V", 2022: hidden weights η/width_mult under Adam) are such
/// multipliers. Parameters the groups were not built from (supermask scores) keep multiplier 1
/// and are decayed.
public struct ParameterGroups: Sendable {
    /// One parameter's treatment.
    public struct Settings: Sendable, Equatable {
        /// Whether weight decay applies.
        public var decays: Bool
        /// The factor on the learning rate.
        public var learningRateMultiplier: Float

        /// Decayed, multiplier 1: a parameter no rule names.
        public static let standard = Settings(decays: true, learningRateMultiplier: 1)
    }

    private var settings: [ObjectIdentifier: Settings] = [:]

    /// Every parameter decayed with multiplier 1 (optimizers built without a model).
    public init() {}

    /// The groups of `model`'s parameters under `configuration`'s rules; throws naming a
    /// multiplier whose path is not one of the model's parameters.
    public init(model: any Module, configuration: OptimizerConfiguration) throws {
        let named = model.namedParameters
        let paths = Set(named.map(\.path))
        if let unknown = configuration.learningRateMultipliers.keys.sorted().first(where: { !paths.contains($0) }) {
            throw InitiumError.invalidArgument(
                "`learningRateMultipliers` names '\(unknown)', which is not a parameter of the model")
        }
        let decaysAll = configuration.decaysAllParameters || configuration.kind != .adamw
        let decayed = decaysAll ? Set(named.map { ObjectIdentifier($0.parameter) }) : Self.decayedWeights(of: model)
        for (path, parameter) in named {
            let id = ObjectIdentifier(parameter)
            settings[id] = Settings(
                decays: decayed.contains(id), learningRateMultiplier: configuration.learningRateMultipliers[path] ?? 1)
        }
    }

    /// The treatment of `parameter`.
    public subscript(parameter: Parameter) -> Settings {
        settings[ObjectIdentifier(parameter)] ?? .standard
    }

    /// The main weights of weighted layers that are not embedding tables. A weight an embedding
    /// table also holds (an output head tied to the token embedding) is the table's, so not decayed.
    static func decayedWeights(of model: any Module) -> Set<ObjectIdentifier> {
        var weights: Set<ObjectIdentifier> = [], tables: Set<ObjectIdentifier> = []
        for (_, module) in model.namedModules where module.kind == .weighted {
            let weight = (module as? any WeightedLayer)?.weight ?? module.localParameters.first { $0.name == "weight" }?.parameter
            guard let weight else { continue }
            let isTable = !module.roles.isDisjoint(with: [.embedding, .positionEmbedding])
                || (module as? any WeightedLayer)?.weightKind == .embedding
            if isTable { tables.insert(ObjectIdentifier(weight)) } else { weights.insert(ObjectIdentifier(weight)) }
        }
        return weights.subtracting(tables)
    }
}
