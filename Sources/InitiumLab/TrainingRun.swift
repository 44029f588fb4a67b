import Foundation
import InitiumCore
import InitiumInit
import InitiumNN
import InitiumProbe

/// Everything that defines one training run — model, activation, initialization, data, optimizer
/// and seed — and the function that performs it. `initium train` is this type plus formatting;
/// `initium compare` runs many of them with identical data order.
public struct TrainingRun: Sendable {
    /// The architecture, e.g. `mlp:784-1024-1024-10`.
    public var model: ModelSpec
    /// The hidden activation.
    public var activation: Activation
    /// The initialization scheme.
    public var scheme: Scheme
    /// The data: dataset, location, training-set limit, standardization and centring.
    public var data: DataRecipe
    /// Epochs, batch size, optimizer, schedule.
    public var training: TrainingConfiguration
    /// The seed: model weights use `RandomKey(seed).fold("init")`, data order `fold("data")`.
    public var seed: UInt64

    /// A run description.
    public init(
        model: ModelSpec, activation: Activation, scheme: Scheme, data: DataRecipe, training: TrainingConfiguration, seed: UInt64
    ) {
        self.model = model
        self.activation = activation
        self.scheme = scheme
        self.data = data
        self.training = training
        self.seed = seed
    }

    /// The root key of the run.
    public var key: RandomKey { RandomKey(seed: seed) }

    /// Loads (and optionally limits, standardizes and centres) the data (``DataRecipe/load(key:)`` with ``key``).
    public func loadData() throws -> (train: Dataset, test: Dataset) {
        try data.load(key: key)
    }

    /// The architecture, activation and scheme as a recipe.
    public var recipe: ModelRecipe { ModelRecipe(model: model, activation: activation, scheme: scheme) }

    /// Builds the model and applies the scheme (data-dependent schemes see a batch of `train`).
    public func makeModel(for train: Dataset) throws -> (model: any Module, log: InitializationLog) {
        try recipe.makeLogged(key: key, for: train, batchSize: training.batchSize)
    }

    /// Loads the data, builds and initializes the model, and trains it. With `tracksRotation`,
    /// each weighted layer's cosine distance from its initial weights is recorded every epoch.
    public func run(tracksRotation: Bool = false, progress: ((TrainingProgress) -> Void)? = nil) throws -> TrainingRunResult {
        let (train, test) = try loadData()
        return try self.train(on: train, test: test, tracksRotation: tracksRotation, progress: progress)
    }

    /// Builds and initializes the model and trains it on data already loaded by ``loadData()``
    /// (data order from `key.fold("data")`).
    public func train(
        on train: Dataset, test: Dataset, tracksRotation: Bool = false, progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> TrainingRunResult {
        let (model, log) = try makeModel(for: train)
        let configuration = training.dataOrder(ofSeed: seed)
        let trainer = Trainer(model: model, configuration: configuration)
        let tracker = tracksRotation ? LayerRotationTracker(model: model) : nil
        if let tracker { trainer.hooks.epochEnded = { _ in tracker.record() } }
        let result = try trainer.run(train: train, test: test, progress: progress)
        let rotation = tracker.map { t in zip(t.paths, t.history).map { LayerRotation(layer: $0, distances: $1) } }
        return TrainingRunResult(model: model, initialization: log, result: result, rotation: rotation)
    }
}

/// The trained model, what initialization did, and the training result.
public struct TrainingRunResult {
    /// The trained model.
    public var model: any Module
    /// The initialization log.
    public var initialization: InitializationLog
    /// Losses, accuracy and throughput.
    public var result: TrainingResult
    /// Per-layer cosine distance from initialization after each epoch, when tracked.
    public var rotation: [LayerRotation]?
}

/// One layer's rotation curve: cosine distance from its initial weights after each epoch.
public struct LayerRotation: Sendable, Codable {
    /// The layer path.
    public var layer: String
    /// δ after epochs 1, 2, ….
    public var distances: [Double]
}
