import Foundation
import InitiumCore

/// What a training run does: its length (epochs or steps), batch size, optimizer, schedule with
/// optional warm-up, loss and data order.
public struct TrainingConfiguration: Sendable {
    /// Passes over the training data (when ``steps`` is `nil`).
    public var epochs: Int
    /// When set, the run is exactly this many optimizer steps instead of ``epochs`` passes: epochs
    /// continue over freshly shuffled data as needed and the last one stops part-way
    /// (``epochCount(for:)``).
    public var steps: Int?
    /// Linear warm-up W in steps (0: none): the schedule's rate at step t is multiplied by
    /// min(1, (t+1)/W) (Goyal et al., "Accurate, Large Minibatch SGD", 2017; with `cosine`,
    /// nanoGPT's and GPT-2's schedule).
    public var warmupSteps: Int
    /// Examples per mini-batch.
    public var batchSize: Int
    /// The optimizer and its hyper-parameters.
    public var optimizer: OptimizerConfiguration
    /// How the learning rate changes.
    public var schedule: LearningRateSchedule
    /// The objective.
    public var loss: Loss
    /// The key for data order (epoch *e* shuffles with `key.fold("epoch.e")`) and dropout.
    public var key: RandomKey
    /// Whether to evaluate on the test set after every epoch (else only after the last).
    public var evaluatesEveryEpoch: Bool

    /// A configuration.
    public init(
        epochs: Int, batchSize: Int, optimizer: OptimizerConfiguration, schedule: LearningRateSchedule = .constant,
        loss: Loss = .crossEntropy, key: RandomKey, evaluatesEveryEpoch: Bool = true, steps: Int? = nil, warmupSteps: Int = 0
    ) {
        self.epochs = epochs
        self.steps = steps
        self.warmupSteps = warmupSteps
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.schedule = schedule
        self.loss = loss
        self.key = key
        self.evaluatesEveryEpoch = evaluatesEveryEpoch
    }

    /// Throws if a setting is out of range.
    public func validate() throws {
        guard epochs >= 1 else { throw InitiumError.invalidArgument("`epochs` must be at least 1, got \(epochs)") }
        if let steps, steps < 1 { throw InitiumError.invalidArgument("`steps` must be at least 1, got \(steps)") }
        guard warmupSteps >= 0 else { throw InitiumError.invalidArgument("`warmup` must be ≥ 0, got \(warmupSteps)") }
        guard batchSize >= 1 else { throw InitiumError.invalidArgument("`batchSize` must be at least 1, got \(batchSize)") }
        try optimizer.validate()
    }

    /// The run's length as reports print it: `1000 steps` or `3 epoch(s)`.
    public var lengthDescription: String {
        steps.map { "\($0) steps" } ?? "\(epochs) epoch(s)"
    }

    /// The learning rate at `step` (0-based) of a run of `totalSteps` steps with `stepsPerEpoch`
    /// per epoch: the schedule's rate from the optimizer's base rate, times the warm-up factor
    /// min(1, (t+1)/W). With W = 100, `cosine` and T = 1000 this is issue 11's
    /// η_t = η · min(1, (t+1)/100) · ½(1 + cos(πt/1000)).
    public func learningRate(atStep step: Int, totalSteps: Int, stepsPerEpoch: Int) -> Float {
        let rate = schedule.rate(base: optimizer.learningRate, step: step, totalSteps: totalSteps, stepsPerEpoch: stepsPerEpoch)
        guard warmupSteps > 0 else { return rate }
        return rate * Float(min(1, Double(step + 1) / Double(warmupSteps)))
    }
}
