import Foundation
import InitiumCore
import InitiumInit
import InitiumNN

/// Iterative magnitude pruning (IMP) with rewinding: how lottery tickets are found.
///
/// Frankle & Carbin, "The Lottery Ticket Hypothesis", ICLR 2019; Frankle, Dziugaite, Roy &
/// Carbin, "Linear Mode Connectivity and the Lottery Ticket Hypothesis", ICML 2020 (rewinding).
/// Follows open_lth (`lottery/runner.py`, `pruning/sparse_global.py`):
///
/// 1. Level 0 trains the dense network from θ₀ and records θ_k, the weights (and normalization
///    statistics) after k steps (k = ``rewindStep``; k = 0 rewinds to initialization as in the
///    original paper).
/// 2. Level L ≥ 1 removes the smallest-magnitude *trained* weights of level L−1 among those still
///    present, so the prunable weights keep density (1 − r)^L (r = ``rate``, 20% per level by
///    default), resets the survivors to θ_k and trains from step k to the end of the run.
///
/// Thresholds are global over the prunable weights by default (open_lth `sparse_global`); the
/// classifier is not prunable by default (open_lth's `mnist_lenet_300_100` and `cifar_vgg` list
/// `fc.weight` in `pruning_layers_to_ignore`), or it is pruned on its own at
/// ``classifierRate`` per level as in the original paper (10% for output layers, Frankle & Carbin
/// Fig. 2). The density schedule is exact: level L keeps round(N·(1 − r)^L) weights of each
/// threshold group, where open_lth removes ⌈r·remaining⌉ per level; the two differ by less than
/// 1/r weights.
///
/// Controls at every level L ≥ 1 (open_lth's `randomly_reinitialize` and `randomly_prune`
/// branches), trained over the same steps:
/// - random reinitialization: the ticket's mask on a freshly initialized network;
/// - random pruning: θ_k with each layer's kept count placed at random.
public struct LotteryTicketPlan: Sendable {
    /// Pruning levels after the dense run (the study trains `levels + 1` networks plus controls).
    public var levels: Int
    /// The fraction r of the remaining prunable weights removed per level.
    public var rate: Double
    /// The step k whose weights survivors are reset to (0 = initialization).
    public var rewindStep: Int
    /// Global or layer-wise magnitude thresholds.
    public var scope: MaskScope
    /// Which weights are pruned at ``rate`` (the classifier only if the selection includes it).
    public var selection: PrunableSelection
    /// When set, the classifier is pruned separately, layer-wise, at this rate per level.
    public var classifierRate: Double?
    /// Whether to train the random-reinitialization and random-pruning controls.
    public var runsControls: Bool

    /// A plan; the defaults are open_lth's for LeNet-300-100 (20% global, output layer ignored,
    /// rewind to initialization).
    public init(
        levels: Int, rate: Double = 0.2, rewindStep: Int = 0, scope: MaskScope = .global,
        selection: PrunableSelection = .excludingClassifier, classifierRate: Double? = nil, runsControls: Bool = true
    ) {
        self.levels = levels
        self.rate = rate
        self.rewindStep = rewindStep
        self.scope = scope
        self.selection = selection
        self.classifierRate = classifierRate
        self.runsControls = runsControls
    }

    /// Throws if a setting is out of range.
    public func validate() throws {
        guard levels >= 0 else { throw InitiumError.invalidArgument("`levels` must be at least 0, got \(levels)") }
        guard rate > 0, rate < 1 else {
            throw InitiumError.invalidArgument("`rate` is the fraction removed per level and must be in (0, 1), got \(rate)")
        }
        guard rewindStep >= 0 else { throw InitiumError.invalidArgument("`rewindStep` must be ≥ 0, got \(rewindStep)") }
        if let classifierRate, !(classifierRate > 0 && classifierRate < 1) {
            throw InitiumError.invalidArgument("`classifierRate` must be in (0, 1), got \(classifierRate)")
        }
    }

    /// The density of the main threshold group at `level`: (1 − r)^level.
    public func density(atLevel level: Int) -> Double { pow(1 - rate, Double(level)) }

    /// The level-`level` mask: the top `(1 − r)^level` of `|values|` within `current`, the
    /// classifier (when ``classifierRate`` is set) in its own layer-wise group.
    public func nextMask(trainedValues values: [Tensor], weights: [PrunableWeight], current: PruningMask, level: Int) throws -> PruningMask {
        let scores = values.map { $0.mapped(Swift.abs) }
        let paths = weights.map(\.path)
        guard let classifierRate else {
            return try PruningMask.keepingTop(scores, paths: paths, density: density(atLevel: level), scope: scope, within: current)
        }
        let isClassifier = weights.map(\.isClassifier)
        func group(_ wanted: Bool, density: Double, scope: MaskScope) throws -> PruningMask? {
            let indices = weights.indices.filter { isClassifier[$0] == wanted }
            guard !indices.isEmpty else { return nil }
            return try PruningMask.keepingTop(
                indices.map { scores[$0] }, paths: indices.map { paths[$0] }, density: density, scope: scope,
                within: try PruningMask(paths: indices.map { paths[$0] }, masks: indices.map { current.masks[$0] }))
        }
        let main = try group(false, density: density(atLevel: level), scope: scope)
        let head = try group(true, density: pow(1 - classifierRate, Double(level)), scope: .layerwise)
        return try PruningMask(paths: paths, masks: paths.map { main?[$0] ?? head?[$0] ?? Tensor.zeros([0]) })
    }
}

/// The results of one IMP level.
public struct LotteryLevel: Sendable, Codable, Equatable {
    /// The level (0 = dense).
    public var level: Int
    /// The density of the prunable weights.
    public var density: Double
    /// The ticket's test accuracy.
    public var testAccuracy: Double
    /// The random-reinitialization control's test accuracy (level ≥ 1 with controls).
    public var reinitAccuracy: Double?
    /// The random-pruning control's test accuracy (level ≥ 1 with controls).
    public var randomPruneAccuracy: Double?
    /// Per-tensor densities of the ticket.
    public var layers: [LayerDensity]

    enum CodingKeys: String, CodingKey {
        case level, density, testAccuracy = "test_accuracy", reinitAccuracy = "reinit_accuracy"
        case randomPruneAccuracy = "random_prune_accuracy", layers
    }
}

/// Which network of a level is training.
public enum LotteryRun: String, Sendable {
    /// The ticket (or the dense network at level 0).
    case ticket
    /// The random-reinitialization control.
    case reinit
    /// The random-pruning control.
    case randomPrune = "random-prune"
}

/// A lottery-ticket study: a plan, a model recipe, a training configuration and a seed.
public struct LotteryTicketStudy: Sendable {
    /// Levels, rate, rewinding, scope and controls.
    public var plan: LotteryTicketPlan
    /// Builds θ₀ (from `RandomKey(seed:)`) and the reinitialization controls.
    public var recipe: ModelRecipe
    /// The training run repeated at every level (its key is replaced by `RandomKey(seed:).fold("data")`,
    /// the data order of `TrainingRun`, so level 0 is `initium train` with the same flags).
    public var training: TrainingConfiguration
    /// The seed of θ₀; control L is initialized from `RandomKey(seed:).fold("reinit.L")`.
    public var seed: UInt64
    /// Called with each network just before it trains (after rewinding and masking), so tests can
    /// check what every level and control starts from.
    var willTrain: (@Sendable (_ level: Int, _ run: LotteryRun, _ model: any Module) -> Void)?

    /// A study.
    public init(plan: LotteryTicketPlan, recipe: ModelRecipe, training: TrainingConfiguration, seed: UInt64) {
        self.plan = plan
        self.recipe = recipe
        self.training = training
        self.seed = seed
    }

    /// Runs every level; `completed` is called as each level finishes. Every network trains
    /// with ``Trainer`` on the run's data order; only the final test accuracy is evaluated.
    public func run(
        train: Dataset, test: Dataset, progress: ((Int, LotteryRun, TrainingProgress) -> Void)? = nil,
        completed: ((LotteryLevel) -> Void)? = nil
    ) throws -> [LotteryLevel] {
        try plan.validate()
        let key = RandomKey(seed: seed)
        var configuration = training.dataOrder(ofSeed: seed)
        configuration.evaluatesEveryEpoch = false
        let k = plan.rewindStep
        let totalSteps = configuration.totalSteps(for: train)
        guard k < totalSteps else {
            throw InitiumError.invalidArgument("`rewindStep` \(k) is not before the end of training (\(totalSteps) steps)")
        }
        var selection = plan.selection
        if plan.classifierRate != nil { selection.includesClassifier = true }
        let model = try recipe.make(key: key, for: train, batchSize: training.batchSize)
        let weights = try selection.weights(of: model)
        var mask = PruningMask.dense(weights)
        try mask.apply(to: weights)

        /// Trains `network` from step `start` to the end, reporting progress as `run` of `level`.
        func trainRun(
            _ network: any Module, from start: Int, level: Int, _ run: LotteryRun, hooks: TrainingHooks = TrainingHooks()
        ) throws -> TrainingResult {
            willTrain?(level, run, network)
            let trainer = Trainer(model: network, configuration: configuration)
            trainer.hooks = hooks
            return try trainer.run(train: train, test: test, from: start, progress: progress.map { p in { p(level, run, $0) } })
        }

        var rewind = ModelSnapshot(of: model)
        var denseHooks = TrainingHooks()
        denseHooks.snapshot(atStep: k) { rewind = $0 }
        let dense = try trainRun(model, from: 0, level: 0, .ticket, hooks: denseHooks)
        var trained = weights.map(\.parameter.value)
        var levels = [LotteryLevel(
            level: 0, density: 1, testAccuracy: dense.testAccuracy, reinitAccuracy: nil, randomPruneAccuracy: nil,
            layers: mask.layerDensities)]
        completed?(levels[0])

        for level in stride(from: 1, through: plan.levels, by: 1) {
            mask = try plan.nextMask(trainedValues: trained, weights: weights, current: mask, level: level)
            try PruningPlan.checkCollapse(mask, density: mask.density, method: "IMP level \(level)", allowed: false)
            try rewind.restore(into: model)
            try mask.apply(to: weights)
            let ticket = try trainRun(model, from: k, level: level, .ticket)
            trained = weights.map(\.parameter.value)
            var result = LotteryLevel(
                level: level, density: mask.density, testAccuracy: ticket.testAccuracy, reinitAccuracy: nil,
                randomPruneAccuracy: nil, layers: mask.layerDensities)
            if plan.runsControls {
                try rewind.restore(into: model)
                try mask.shuffled(key: key.fold("random-prune.\(level)")).apply(to: weights)
                result.randomPruneAccuracy = try trainRun(model, from: k, level: level, .randomPrune).testAccuracy
                let fresh = try recipe.make(key: key.fold("reinit.\(level)"), for: train, batchSize: training.batchSize)
                try mask.apply(to: try selection.weights(of: fresh))
                result.reinitAccuracy = try trainRun(fresh, from: k, level: level, .reinit).testAccuracy
            }
            levels.append(result)
            completed?(result)
        }
        return levels
    }
}
