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
        let atInit = try PruningMetrics.measure(model, mask: mask, exampleShape: train.exampleShape, graphTask: train.graph?.task)
        var configuration = training.dataOrder(ofSeed: seed)
        configuration.evaluatesEveryEpoch = false
        let result = try Trainer(model: model, configuration: configuration).run(train: train, test: test, progress: progress)
        let after = try PruningMetrics.measure(model, mask: mask, exampleShape: train.exampleShape, graphTask: train.graph?.task)
        return PruningResult(
            atInitialization: atInit, afterTraining: after, mask: mask, testAccuracy: result.testAccuracy,
            testLoss: result.testLoss, trainLoss: result.trainLoss)
    }
}
