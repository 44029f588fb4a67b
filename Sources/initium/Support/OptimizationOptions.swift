import ArgumentParser
import InitiumCore
import InitiumNN

/// `--epochs`, `--batch`, `--optimizer`, `--lr`, `--momentum`, `--nesterov`, `--weight-decay`,
/// `--schedule`, with the command family's learning-rate and schedule defaults.
struct OptimizationOptions<Defaults: OptimizationDefaults>: ParsableArguments {
    @Option(help: "Passes over the training data.")
    var epochs = 1

    @Option(help: "Mini-batch size.")
    var batch = 128

    @Option(help: "sgd, adam or adamw.")
    var optimizer = "sgd"

    @Option(help: "Learning rate.")
    var lr: Float = Defaults.learningRate

    @Option(help: "SGD momentum.")
    var momentum: Float = 0.9

    @Flag(help: "Use Nesterov momentum.")
    var nesterov = false

    @Option(help: "Weight decay.")
    var weightDecay: Float = 0

    @Option(help: "Learning-rate schedule: constant, step(epochs=N,gamma=G) or cosine(min=M).")
    var schedule: String = Defaults.schedule

    /// The training configuration these options describe, drawing its randomness from `key`.
    func configuration(key: RandomKey) throws -> TrainingConfiguration {
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
