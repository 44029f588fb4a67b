import InitiumCore
import InitiumInit
import InitiumNN

/// The outcome of pruning at initialization and training the pruned network.
public struct PruningResult: Sendable {
    /// ShrinkBench metrics of the pruned network right after pruning.
    public var atInitialization: PruningMetrics
    /// ShrinkBench metrics after training (compression counts actual nonzeros).
    public var afterTraining: PruningMetrics
    /// The mask.
    public var mask: PruningMask
    /// Test accuracy and loss, and the last epoch's mean training loss.
    public var testAccuracy: Double, testLoss: Double, trainLoss: Double
}

/// Prune a freshly initialized network with a ``PruningPlan``, then train it with its mask fixed:
/// the experiment of SNIP, GraSP and SynFlow (Synaptic-Flow `Experiments/singleshot.py`), reported
/// with ShrinkBench's metrics.
///
/// θ₀ is built by the recipe from `RandomKey(seed:)` and the data order uses
/// `RandomKey(seed:).fold("data")`, as InitiumLab's `TrainingRun`, so at density 1 this is
/// `initium train` with the same flags. Training is ``Trainer``'s, the mask kept by the
/// optimizers, which leave removed weights at zero; only the final test accuracy is evaluated.
/// The scoring batch is `scoringSamples` training examples (default 10 per class,
/// Synaptic-Flow's `--prune-dataset-ratio 10`).
public struct PruningExperiment: Sendable {
    /// What to prune and how.
    public var plan: PruningPlan
    /// Builds θ₀.
    public var recipe: ModelRecipe
    /// How to train afterwards (its key is replaced by the seed's data key).
    public var training: TrainingConfiguration
    /// The seed of θ₀, the scoring batch and the data order.
    public var seed: UInt64
    /// Examples in the scoring batch of data-driven scores; `nil` means 10 per class.
    public var scoringSamples: Int?

    /// An experiment.
    public init(plan: PruningPlan, recipe: ModelRecipe, training: TrainingConfiguration, seed: UInt64, scoringSamples: Int? = nil) {
        self.plan = plan
        self.recipe = recipe
        self.training = training
        self.seed = seed
        self.scoringSamples = scoringSamples
    }

    /// Builds, prunes, trains and measures the network.
    public func run(
        train: Dataset, test: Dataset, pruningProgress: ((Int, Int) -> Void)? = nil, progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> PruningResult {
        try plan.validate()
        let key = RandomKey(seed: seed)
        let model = try recipe.make(key: key, for: train, batchSize: training.batchSize)
        let data = try ScoringData.sample(scoringSamples ?? 10 * train.classCount, from: train, key: key.fold("prune"))
        let mask = try plan.prune(model, data: data, progress: pruningProgress)
        var configuration = training.dataOrder(ofSeed: seed)
        configuration.evaluatesEveryEpoch = false
        return try PruningResult.training(
            model, from: mask, with: Trainer(model: model, configuration: configuration), train: train, test: test, progress: progress
        ) { mask }
    }
}

extension PruningResult {
    /// The one path of every pruning experiment: measures `model` under `start`, trains it with
    /// `trainer` (whose hooks may change the mask as it goes), then measures it under
    /// `finalMask()`, the mask installed when training ends.
    static func training(
        _ model: any Module, from start: PruningMask, with trainer: Trainer, train: Dataset, test: Dataset,
        progress: ((TrainingProgress) -> Void)?, finalMask: () -> PruningMask
    ) throws -> PruningResult {
        let atInit = try PruningMetrics.measure(model, mask: start, for: train.signature)
        let trained = try trainer.run(train: train, test: test, progress: progress)
        let mask = finalMask()
        let after = try PruningMetrics.measure(model, mask: mask, for: train.signature)
        return PruningResult(
            atInitialization: atInit, afterTraining: after, mask: mask, testAccuracy: trained.testAccuracy,
            testLoss: trained.testLoss, trainLoss: trained.trainLoss)
    }
}
