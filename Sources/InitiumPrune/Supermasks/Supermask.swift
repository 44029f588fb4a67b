import InitiumCore
import InitiumInit
import InitiumNN

/// How a supermask turns a layer's real-valued scores into the mask multiplying its frozen weights.
public protocol SupermaskRule: Sendable {
    /// The name users type (`edge-popup`).
    var name: String { get }
    /// The effective mask of one layer (entries in {0, 1}, or {−1, 0, 1} for signed masks) for
    /// its scores at density d.
    func effectiveMask(scores: Tensor, density: Double) throws -> Tensor
    /// ∂L/∂s from ∂L/∂m, the gradient reaching the mask, through the straight-through estimator.
    func scoreGradient(maskGradient: Tensor, scores: Tensor) -> Tensor
}

/// The supermask methods by the names `initium supermask --method` accepts.
public enum SupermaskMethod: String, Sendable, CaseIterable {
    /// Per-layer top-k of |score| (Ramanujan et al. 2020).
    case edgePopup = "edge-popup"
    /// −1/0/+1 masks (Koster et al. 2022).
    case signed

    /// Parses a method name; throws with the list of methods.
    public init(parsing name: String) throws {
        guard let method = SupermaskMethod(rawValue: name.lowercased()) else {
            throw InitiumError.invalidArgument(
                "unknown supermask method '\(name)'; choose " + SupermaskMethod.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self = method
    }

    /// The rule.
    public var rule: any SupermaskRule {
        switch self {
        case .edgePopup: return EdgePopup()
        case .signed: return SignedSupermask()
        }
    }
}

/// How the frozen weights are set before the supermask is learned.
public enum SupermaskWeights: String, Sendable, CaseIterable {
    /// As the initialization scheme drew them.
    case initialized = "init"
    /// Signed constant, w ← sign(w)·σ/√d, with σ the standard deviation of the layer's initialized
    /// weights and d the density: edge-popup's best setting, the signed Kaiming constant with
    /// `scale_fan` (allenai/hidden-networks `utils/conv_type.py`, `args.init = signed_constant`:
    /// σ = gain/√fan with fan scaled by the kept fraction), which it equals for He-initialized layers.
    case signedConstant = "signed-constant"

    /// Parses `init` or `signed-constant`.
    public init(parsing name: String) throws {
        guard let weights = SupermaskWeights(rawValue: name.lowercased()) else {
            throw InitiumError.invalidArgument("unknown `weights` '\(name)'; choose init or signed-constant")
        }
        self = weights
    }
}

/// The outcome of learning a supermask.
public struct SupermaskResult: Sendable {
    /// Test accuracy of the masked random network.
    public var testAccuracy: Double
    /// Nonzero mask entries over masked weights.
    public var density: Double
    /// Per masked tensor.
    public var layers: [LayerDensity]
    /// Mean training loss over the last epoch.
    public var trainLoss: Double
}

/// Learns a supermask on a randomly initialized network whose weights never change: every step
/// sets each masked layer's weight to w₀ ⊙ m(s) (m from the rule), runs forward and backward,
/// and passes the straight-through gradient of ∂L/∂m = ∂L/∂w_eff ⊙ w₀ (``SupermaskRule/scoreGradient(maskGradient:scores:)``)
/// to the optimizer, which updates the scores s only (biases, normalization and unmasked weights are frozen too).
///
/// The scores start as kaiming_uniform(a = √5), i.e. U(±1/√fan_in), as edge-popup's
/// `SubnetConv.scores`. Training is ``Trainer``'s loop, with its data order and step keys: the
/// effective weights are set before the first step and after every update
/// (``TrainingHooks/afterStep``), and the update steps the scores (``TrainingHooks/update``).
public struct SupermaskTraining: Sendable {
    /// Edge-popup or signed.
    public var method: SupermaskMethod
    /// The kept fraction d ∈ (0, 1] of each masked layer.
    public var density: Double
    /// Which weights get a mask (default: every weight, the classifier included, as edge-popup).
    public var selection: PrunableSelection
    /// How the frozen weights are set.
    public var weights: SupermaskWeights
    /// Builds the random network.
    public var recipe: ModelRecipe
    /// How to train the scores (its key is replaced by `RandomKey(seed:).fold("data")`).
    public var training: TrainingConfiguration
    /// The seed of the weights, the scores and the data order.
    public var seed: UInt64

    /// A supermask run.
    public init(
        method: SupermaskMethod, density: Double, selection: PrunableSelection = .allWeights,
        weights: SupermaskWeights = .signedConstant, recipe: ModelRecipe, training: TrainingConfiguration, seed: UInt64
    ) {
        self.method = method
        self.density = density
        self.selection = selection
        self.weights = weights
        self.recipe = recipe
        self.training = training
        self.seed = seed
    }

    /// Builds the network, learns the mask, and evaluates the masked network.
    public func run(train: Dataset, test: Dataset, progress: ((TrainingProgress) -> Void)? = nil) throws -> SupermaskResult {
        let key = RandomKey(seed: seed)
        let model = try recipe.make(key: key, for: train, batchSize: training.batchSize)
        let (masked, scores) = try prepare(model, key: key)
        var configuration = training.dataOrder(ofSeed: seed)
        configuration.evaluatesEveryEpoch = false
        let trainer = Trainer(model: model, configuration: configuration)
        var masks = try setEffectiveWeights(masked, scores: scores)
        trainer.hooks.afterStep = { _, _ in masks = try setEffectiveWeights(masked, scores: scores) }
        trainer.hooks.update = { optimizer in try updateScores(scores, of: masked, optimizer: optimizer) }
        let result = try trainer.run(train: train, test: test, progress: progress)
        let layers = zip(masked, masks).map { layer, m in
            let kept = PruningMetrics.nonzeroCount(m)
            return LayerDensity(name: layer.weight.path, density: Double(kept) / Double(m.count), remaining: kept, total: m.count)
        }
        let kept = layers.reduce(0) { $0 + $1.remaining }, total = layers.reduce(0) { $0 + $1.total }
        return SupermaskResult(
            testAccuracy: result.testAccuracy, density: Double(kept) / Double(total), layers: layers, trainLoss: result.trainLoss)
    }

    /// A masked layer: its weight and the frozen values w₀.
    struct MaskedWeight {
        let weight: PrunableWeight
        let frozen: Tensor
    }

    /// Freezes every parameter, fixes w₀ (signed constant if asked), and draws the scores.
    func prepare(_ model: any Module, key: RandomKey) throws -> (masked: [MaskedWeight], scores: [Parameter]) {
        try PruningMask.validate(density: density)
        let selected = try selection.weights(of: model)
        for p in model.parameters { p.isTrainable = false }
        var masked: [MaskedWeight] = []
        var scores: [Parameter] = []
        for w in selected {
            var value = w.parameter.value
            if weights == .signedConstant {
                let sigma = Float(value.moments.variance.squareRoot() / density.squareRoot())
                value = value.mapped { $0 > 0 ? sigma : ($0 < 0 ? -sigma : 0) }
            }
            w.parameter.value = value
            w.parameter.isTrainable = true
            let fanIn = value.count / max(value.shape.first ?? 1, 1)
            let bound = 1 / Float(fanIn).squareRoot()
            scores.append(Parameter(try Tensor.random(value.shape, .uniform(low: -bound, high: bound), key: key.fold("scores").fold(w.path))))
            masked.append(MaskedWeight(weight: w, frozen: value))
        }
        return (masked, scores)
    }

    /// Sets every masked weight to w₀ ⊙ m(s) and returns the masks.
    @discardableResult
    func setEffectiveWeights(_ masked: [MaskedWeight], scores: [Parameter]) throws -> [Tensor] {
        let rule = method.rule
        return try zip(masked, scores).map { layer, s in
            let m = try rule.effectiveMask(scores: s.value, density: density)
            layer.weight.parameter.value = layer.frozen.zipped(with: m, *)
            return m
        }
    }

    /// The update of a supermask step, once the loss is back-propagated: each score's
    /// straight-through gradient from ∂L/∂m = ∂L/∂w_eff ⊙ w₀, then the optimizer's step on the scores.
    func updateScores(_ scores: [Parameter], of masked: [MaskedWeight], optimizer: any Optimizer) throws {
        for (layer, s) in zip(masked, scores) {
            let g = layer.weight.parameter.gradient ?? Tensor.zeros(layer.frozen.shape)
            s.gradient = method.rule.scoreGradient(maskGradient: g.zipped(with: layer.frozen, *), scores: s.value)
        }
        try optimizer.step(scores)
    }
}
