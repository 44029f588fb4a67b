import ArgumentParser
import InitiumCore
import InitiumNN

/// `--epochs` or `--steps`, `--batch`, `--optimizer`, `--lr`, `--momentum`, `--nesterov`,
/// `--weight-decay`, `--decay-all`, `--schedule`, `--warmup`, `--clip`, with the command family's
/// learning-rate and schedule defaults.
struct OptimizationOptions<Defaults: OptimizationDefaults>: ParsableArguments {
    @Option(help: "Passes over the training data (default 1; or give --steps).")
    var epochs: Int?

    @Option(help: "Train for exactly this many optimizer steps instead of --epochs (epochs continue over reshuffled data; evaluation at the end).")
    var steps: Int?

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

    @Option(help: "Weight decay (SGD and Adam: every parameter, as PyTorch; AdamW: the weights of weighted layers, not biases, normalization parameters and embeddings unless --decay-all).")
    var weightDecay: Float = 0

    @Flag(help: "With AdamW, apply --weight-decay to every parameter, biases, normalization parameters and embeddings included.")
    var decayAll = false

    @Option(help: "Learning-rate schedule: constant, step(epochs=N,gamma=G) or cosine(min=M).")
    var schedule: String = Defaults.schedule

    @Option(help: "Linear warm-up over this many steps: the schedule's rate at step t times min(1, (t+1)/N).")
    var warmup = 0

    @Option(help: "Clip the gradients to this global L2 norm every step (as torch.nn.utils.clip_grad_norm_).")
    var clip: Float?

    /// The training configuration these options describe, drawing its randomness from `key`.
    func configuration(key: RandomKey) throws -> TrainingConfiguration {
        guard let kind = OptimizerConfiguration.Kind(rawValue: optimizer.lowercased()) else {
            throw InitiumError.invalidArgument("unknown optimizer '\(optimizer)'; choose sgd, adam or adamw")
        }
        guard epochs == nil || steps == nil else {
            throw InitiumError.invalidArgument("--epochs and --steps both give the run's length; give one of them")
        }
        let optimizerConfiguration = OptimizerConfiguration(
            kind: kind, learningRate: lr, momentum: kind == .sgd ? momentum : 0, nesterov: nesterov, weightDecay: weightDecay,
            decaysAllParameters: decayAll, clipNorm: clip)
        let configuration = TrainingConfiguration(
            epochs: epochs ?? 1, batchSize: batch, optimizer: optimizerConfiguration,
            schedule: try LearningRateSchedule(schedule), key: key, evaluatesEveryEpoch: steps == nil,
            steps: steps, warmupSteps: warmup)
        try configuration.validate()
        return configuration
    }
}
