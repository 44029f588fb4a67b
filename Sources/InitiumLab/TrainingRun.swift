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
    /// The hidden activation: the one the model's spec names (``ModelSpec/activation(default:)``,
    /// e.g. `inr:…,act=sine(omega=30)`), else the run's.
    public var activation: Activation
    /// The initialization scheme.
    public var scheme: Scheme
    /// The data: dataset, location, training-set limit, standardization and centring.
    public var data: DataRecipe
    /// Epochs, batch size, optimizer, schedule.
    public var training: TrainingConfiguration
    /// The seed: model weights use `RandomKey(seed).fold("init")`, data order `fold("data")`.
    public var seed: UInt64
    /// A safetensors or `.npz` file whose tensors replace the initialized weights before training
    /// (every tensor of the model's state, with its shape; nothing else).
    public var initialWeights: String?

    /// A run description.
    public init(
        model: ModelSpec, activation: Activation, scheme: Scheme, data: DataRecipe, training: TrainingConfiguration, seed: UInt64
    ) {
        self.model = model
        self.activation = model.activation(default: activation)
        self.scheme = scheme
        self.data = data
        self.training = training
        self.seed = seed
    }

    /// What rebuilds this run's model from a checkpoint trained on `train`.
    public func checkpoint(for train: Dataset) -> ModelCheckpoint {
        ModelCheckpoint(
            model: model.text, activation: activation.description, inputShape: train.exampleShape,
            classCount: train.classCount, dataset: data.dataset.description)
    }

    /// The root key of the run.
    public var key: RandomKey { RandomKey(seed: seed) }

    /// Loads (and optionally limits, standardizes and centres) the data (``DataRecipe/load(key:)`` with ``key``).
    public func loadData() throws -> (train: Dataset, test: Dataset) {
        try data.load(key: key)
    }

    /// The architecture, activation and scheme as a recipe.
    public var recipe: ModelRecipe { ModelRecipe(model: model, activation: activation, scheme: scheme) }

    /// Builds the model and applies the scheme (data-dependent schemes see a batch of `train`),
    /// then loads ``initialWeights`` when set.
    public func makeModel(for train: Dataset) throws -> (model: any Module, log: InitializationLog) {
        let made = try recipe.makeLogged(key: key, for: train, batchSize: training.batchSize)
        if let initialWeights {
            let arrays = initialWeights.hasSuffix(".npz")
                ? try NumPyArchive.read(from: initialWeights) : try SafeTensorsFile.read(from: initialWeights).tensors
            try made.model.load(arrays, source: initialWeights)
        }
        return made
    }

    /// Loads the data, builds and initializes the model, and trains it. With `tracksRotation`,
    /// each weighted layer's cosine distance from its initial weights is recorded every epoch;
    /// each of `trackers` records at initialization and after every epoch.
    public func run(
        tracksRotation: Bool = false, trackers: [any TrainingTracker] = [], progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> TrainingRunResult {
        let splits = try data.loadSplits(key: key)
        return try self.train(
            on: splits.train, test: splits.test, validation: splits.validation, tracksRotation: tracksRotation, trackers: trackers,
            progress: progress)
    }

    /// Builds and initializes the model and trains it on data already loaded by ``loadData()``
    /// (data order from `key.fold("data")`); the trained model is then evaluated on `validation`
    /// when given (graph node tasks and EXP define one).
    public func train(
        on train: Dataset, test: Dataset, validation: Dataset? = nil, tracksRotation: Bool = false, trackers: [any TrainingTracker] = [],
        progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> TrainingRunResult {
        let (model, log) = try makeModel(for: train)
        var configuration = training.dataOrder(ofSeed: seed)
        configuration.optimizer.learningRateMultipliers.merge(log.learningRateMultipliers) { typed, _ in typed }
        let trainer = Trainer(model: model, configuration: configuration)
        let tracker = tracksRotation ? LayerRotationTracker(model: model) : nil
        for t in trackers { try t.record(model, epoch: 0, train: train, test: test) }
        trainer.hooks.epochEnded = { epoch in
            tracker?.record()
            for t in trackers { try t.record(model, epoch: epoch, train: train, test: test) }
        }
        let result = try trainer.run(train: train, test: test, progress: progress)
        let rotation = tracker.map { t in zip(t.paths, t.history).map { LayerRotation(layer: $0, distances: $1) } }
        let validated = try validation.map { try Trainer.evaluate(model, on: $0, loss: configuration.loss) }
        return TrainingRunResult(
            model: model, initialization: log, result: result, validation: validated, rotation: rotation,
            languageModel: LanguageModelMetrics(testLoss: result.testLoss, on: test), checkpoint: checkpoint(for: train))
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
    /// Loss and accuracy of the trained model on the validation set, when the data has one.
    public var validation: (loss: Double, accuracy: Double)?
    /// Per-layer cosine distance from initialization after each epoch, when tracked.
    public var rotation: [LayerRotation]?
    /// Validation loss per token and bits per byte, for language-model data.
    public var languageModel: LanguageModelMetrics?
    /// What rebuilds the trained model (``ModelCheckpoint/write(_:to:)`` saves it).
    public var checkpoint: ModelCheckpoint
}

/// A language model's validation loss: the mean cross-entropy in nats per token over the test
/// split and, for byte-level data (a vocabulary of 256), the same in bits per byte, loss / ln 2
/// (the unit of text-compression benchmarks such as enwik8).
public struct LanguageModelMetrics: Sendable, Codable {
    /// Mean cross-entropy, nats per token.
    public var validationLoss: Double
    /// validationLoss / ln 2 when each token is a byte.
    public var validationBitsPerByte: Double?

    /// The metrics of a test loss on `test`, or `nil` unless `test` is language-model data (more
    /// than one label per example: the next token of every position).
    public init?(testLoss: Double, on test: Dataset) {
        guard test.count > 0, test.labels.count / test.count > 1 else { return nil }
        validationLoss = testLoss
        validationBitsPerByte = test.classCount == 256 ? testLoss / Foundation.log(2) : nil
    }

    enum CodingKeys: String, CodingKey {
        case validationLoss = "validation_loss", validationBitsPerByte = "validation_bits_per_byte"
    }
}

/// One layer's rotation curve: cosine distance from its initial weights after each epoch.
public struct LayerRotation: Sendable, Codable {
    /// The layer path.
    public var layer: String
    /// δ after epochs 1, 2, ….
    public var distances: [Double]
}
