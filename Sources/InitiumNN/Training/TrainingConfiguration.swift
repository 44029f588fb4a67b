import Foundation
import InitiumCore

/// What a training run does: epochs, batch size, optimizer, schedule, loss and data order.
public struct TrainingConfiguration: Sendable {
    /// Passes over the training data.
    public var epochs: Int
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
        loss: Loss = .crossEntropy, key: RandomKey, evaluatesEveryEpoch: Bool = true
    ) {
        self.epochs = epochs
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
        guard batchSize >= 1 else { throw InitiumError.invalidArgument("`batchSize` must be at least 1, got \(batchSize)") }
        try optimizer.validate()
    }
}
