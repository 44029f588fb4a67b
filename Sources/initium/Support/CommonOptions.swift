import ArgumentParser
import InitiumInit
import InitiumLab
import InitiumNN

/// `--model`, `--act` and `--init`.
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp(ModelFamily.optionHelp))
    var model = "mlp:784-1024-1024-10"

    @Option(help: "Hidden activation, e.g. relu, tanh, leaky-relu(slope=0.2), sine(omega=30).")
    var act = "relu"

    @Option(name: .customLong("init"), help: "Initialization scheme, e.g. torch-default, he-normal, glorot-uniform(gain=1).")
    var initialization = "torch-default"

    /// Options with the given values (for commands that name these flags differently).
    static func with(model: String, act: String, initialization: String) -> ModelOptions {
        var options = ModelOptions()
        options.model = model
        options.act = act
        options.initialization = initialization
        return options
    }
}

/// `--data`, `--data-dir`, `--limit-train`, `--standardize`.
struct DataOptions: ParsableArguments {
    @Option(help: "Dataset: fashion-mnist, blobs(...), spirals(...), teacher(...).")
    var data = "fashion-mnist"

    @Option(help: "Folder with the Fashion-MNIST IDX files (default: $INITIUM_DATA or /usr/share/datasets/fashion-mnist).")
    var dataDir: String?

    @Option(help: "Train on the first N training examples only (for quick checks).")
    var limitTrain: Int?

    @Flag(inversion: .prefixedNo, help: "Standardize inputs with the training set's mean and standard deviation (variance-preserving inits assume unit-variance inputs).")
    var standardize = true

    @Flag(help: "Subtract the training set's per-feature (per-pixel) mean from every input.")
    var centerFeatures = false

}

/// The run the model, data and seed options describe (training settings from `training`).
func makeTrainingRun(
    _ model: ModelOptions, _ data: DataOptions, training: TrainingConfiguration, seed: UInt64
) throws -> TrainingRun {
    var run = TrainingRun(
        model: try ModelSpec(model.model), activation: try Activation(model.act),
        scheme: try Scheme(model.initialization), data: try DatasetSpec(data.data), dataDirectory: data.dataDir,
        trainLimit: data.limitTrain, standardizesInputs: data.standardize, training: training, seed: seed)
    run.centersFeatures = data.centerFeatures
    return run
}

/// Training settings for commands that only measure at initialization.
func measurementOnlyTraining(batch: Int, seed: UInt64) -> TrainingConfiguration {
    TrainingConfiguration(
        epochs: 1, batchSize: batch, optimizer: OptimizerConfiguration(kind: .sgd, learningRate: 0.1), key: RandomKey(seed: seed))
}

/// `--optimizer`, `--lr`, `--momentum`, `--nesterov`, `--weight-decay`, `--schedule`, `--epochs`, `--batch`.
struct OptimizationOptions: ParsableArguments {
    @Option(help: "Passes over the training data.")
    var epochs = 1

    @Option(help: "Mini-batch size.")
    var batch = 128

    @Option(help: "sgd, adam or adamw.")
    var optimizer = "sgd"

    @Option(help: "Learning rate (default 0.05 for train, 0.01 for compare).")
    var lr: Float?

    @Option(help: "SGD momentum.")
    var momentum: Float = 0.9

    @Flag(help: "Use Nesterov momentum.")
    var nesterov = false

    @Option(help: "Weight decay.")
    var weightDecay: Float = 0

    @Option(help: """
        Learning-rate schedule: constant, step(epochs=N,gamma=G), cosine(min=M) (default cosine for train and \
        compare; constant for prune, lottery and supermask, whose papers' recipes use a constant rate).
        """)
    var schedule: String?

    /// The training configuration; `defaultLearningRate` and `defaultSchedule` apply when the flags are absent.
    func configuration(
        key: RandomKey, defaultLearningRate: Float = 0.05, defaultSchedule: String = "constant"
    ) throws -> TrainingConfiguration {
        let lr = self.lr ?? defaultLearningRate
        let schedule = self.schedule ?? defaultSchedule
        guard let kind = OptimizerConfiguration.Kind(rawValue: optimizer.lowercased()) else {
            throw InitiumError.invalidArgument("unknown optimizer '\(optimizer)'; choose sgd, adam or adamw")
        }
        let optimizerConfiguration = OptimizerConfiguration(
            kind: kind, learningRate: lr, momentum: kind == .sgd ? momentum : 0, nesterov: nesterov, weightDecay: weightDecay)
        let configuration = TrainingConfiguration(
            epochs: epochs, batchSize: batch, optimizer: optimizerConfiguration,
            schedule: try LearningRateSchedule(schedule), key: key)
        try configuration.validate()
        return configuration
    }
}

/// `--threads`.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Threads for BLAS and Initium's own kernels.")
    var threads = 1

    /// Sets BLAS's and Initium's thread count (``Parallel/setThreadCount(_:)``).
    func apply() throws {
        guard threads >= 1 else { throw InitiumError.invalidArgument("--threads must be at least 1, got \(threads)") }
        Parallel.setThreadCount(threads)
    }
}

/// `--seed`, `--threads`, `--json`.
struct RunOptions: ParsableArguments {
    @Option(help: "Random seed for weights and data order.")
    var seed: UInt64 = 0

    @OptionGroup var threadOptions: ThreadOptions

    @Flag(help: "End stdout with one JSON object holding the results.")
    var json = false

    func applyThreads() throws { try threadOptions.apply() }
}

/// A tensor shape written as positive integers separated by commas (`64,32,3,3`).
func parseShape(_ text: String) throws -> [Int] {
    try text.split(separator: ",").map { part -> Int in
        guard let v = Int(part.trimmingCharacters(in: .whitespaces)), v > 0 else {
            throw InitiumError.invalidArgument("--shape must be positive integers separated by commas, got '\(text)'")
        }
        return v
    }
}
