import Foundation

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
        guard epochs >= 1 else { throw InitiumError.invalidArgument("--epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw InitiumError.invalidArgument("--batch must be at least 1, got \(batchSize)") }
        try optimizer.validate()
    }
}

/// Progress of a run, reported after every step.
public struct TrainingProgress: Sendable {
    /// The epoch (1-based) and the step within it (1-based).
    public var epoch: Int, stepInEpoch: Int
    /// Steps per epoch and in the whole run.
    public var stepsPerEpoch: Int, totalSteps: Int
    /// Steps done so far in the run.
    public var step: Int
    /// This step's loss and the epoch's running mean.
    public var loss: Float, meanLoss: Float
    /// Throughput so far.
    public var samplesPerSecond: Double
    /// Seconds since the run started.
    public var elapsed: Double
}

/// The outcome of one epoch.
public struct EpochSummary: Sendable, Codable {
    /// The epoch (1-based).
    public var epoch: Int
    /// Mean training loss over the epoch's steps.
    public var trainLoss: Double
    /// Test loss and accuracy, when evaluated.
    public var testLoss: Double?, testAccuracy: Double?
    /// Seconds since the run started.
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case epoch, trainLoss = "train_loss", testLoss = "test_loss", testAccuracy = "test_accuracy", seconds
    }
}

/// The outcome of a run.
public struct TrainingResult: Sendable {
    /// Per-epoch summaries.
    public var epochs: [EpochSummary]
    /// The loss at every step.
    public var stepLosses: [Float]
    /// Final test accuracy and loss.
    public var testAccuracy: Double, testLoss: Double
    /// Mean training loss of the last epoch.
    public var trainLoss: Double
    /// Wall-clock seconds for training (evaluation excluded) and in total.
    public var trainingSeconds: Double, seconds: Double
    /// Optimizer steps taken.
    public var steps: Int
    /// Training throughput.
    public var stepsPerSecond: Double { Double(steps) / max(trainingSeconds, 1e-9) }
    /// Training throughput in examples.
    public var samplesPerSecond: Double
}

/// Trains a model with mini-batch gradient descent and evaluates it.
public final class Trainer {
    /// The model being trained.
    public let model: any Module
    /// The run's settings.
    public let configuration: TrainingConfiguration
    /// Called after every epoch with the model, e.g. to record layer rotation.
    public var epochObserver: ((Int, any Module) -> Void)?

    /// A trainer for `model`.
    public init(model: any Module, configuration: TrainingConfiguration) {
        self.model = model
        self.configuration = configuration
    }

    /// Runs training on `train` and evaluates on `test`. A non-finite loss stops the run with
    /// ``InitiumError/nonFiniteLoss(step:value:)``.
    public func run(train: Dataset, test: Dataset, progress: ((TrainingProgress) -> Void)? = nil) throws -> TrainingResult {
        try configuration.validate()
        let optimizer = try configuration.optimizer.makeOptimizer()
        let parameters = model.parameters
        let stepsPerEpoch = configuration.stepsPerEpoch(for: train)
        let totalSteps = configuration.totalSteps(for: train)
        let start = DispatchTime.now()
        var trainingNanoseconds: UInt64 = 0
        var epochs: [EpochSummary] = []
        var stepLosses: [Float] = []
        stepLosses.reserveCapacity(totalSteps)
        var step = 0
        var lastEvaluation: (loss: Double, accuracy: Double)?
        var lastTrainLoss = Double.nan
        var epochStart = start
        var lossSum = 0.0, lossCount = 0
        try configuration.forEachStep(over: train, epochStarted: { _ in
            epochStart = DispatchTime.now()
            (lossSum, lossCount) = (0, 0)
        }, epochEnded: { epoch in
            trainingNanoseconds += DispatchTime.now().uptimeNanoseconds - epochStart.uptimeNanoseconds
            lastTrainLoss = lossSum / Double(max(lossCount, 1))
            let evaluates = configuration.evaluatesEveryEpoch || epoch == configuration.epochs
            if evaluates {
                lastEvaluation = try Self.evaluate(model, on: test, loss: configuration.loss)
            }
            epochObserver?(epoch, model)
            epochs.append(EpochSummary(
                epoch: epoch, trainLoss: lastTrainLoss,
                testLoss: evaluates ? lastEvaluation?.loss : nil, testAccuracy: evaluates ? lastEvaluation?.accuracy : nil,
                seconds: Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9))
        }) { scheduled in
            optimizer.learningRate = scheduled.learningRate
            let (x, y) = train.batch(scheduled.batch)
            let value = try self.step(inputs: x, labels: y, optimizer: optimizer, parameters: parameters, key: scheduled.key)
            step = scheduled.step + 1
            guard value.isFinite else { throw InitiumError.nonFiniteLoss(step: step, value: value) }
            stepLosses.append(value)
            lossSum += Double(value)
            lossCount += 1
            if let progress {
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
                let trained = Double(trainingNanoseconds + DispatchTime.now().uptimeNanoseconds - epochStart.uptimeNanoseconds) / 1e9
                progress(TrainingProgress(
                    epoch: scheduled.epoch, stepInEpoch: scheduled.indexInEpoch + 1, stepsPerEpoch: stepsPerEpoch, totalSteps: totalSteps,
                    step: step, loss: value, meanLoss: Float(lossSum / Double(lossCount)),
                    samplesPerSecond: Double(step * configuration.batchSize) / max(trained, 1e-9), elapsed: elapsed))
            }
        }
        let trainingSeconds = Double(trainingNanoseconds) / 1e9
        return TrainingResult(
            epochs: epochs, stepLosses: stepLosses, testAccuracy: lastEvaluation?.accuracy ?? .nan,
            testLoss: lastEvaluation?.loss ?? .nan, trainLoss: lastTrainLoss, trainingSeconds: trainingSeconds,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9, steps: step,
            samplesPerSecond: Double(step) / max(trainingSeconds, 1e-9) * Double(configuration.batchSize))
    }

    /// One optimization step on a batch: forward, loss, backward, update. Returns the loss; a
    /// non-finite loss is returned without updating the parameters.
    public func step(
        inputs: Tensor, labels: [Int32], optimizer: any Optimizer, parameters: [Parameter], key: RandomKey
    ) throws -> Float {
        let context = ForwardContext(mode: .training, key: key)
        let output = try model.forward(inputs, context: context)
        let loss = try configuration.loss(output, labels: labels)
        let value = loss.scalar
        guard value.isFinite else { return value }
        model.zeroGradients()
        try loss.backward()
        try optimizer.step(parameters)
        return value
    }

    /// Mean loss and accuracy of `model` on `dataset` in inference mode, in batches of 1,000.
    public static func evaluate(_ model: any Module, on dataset: Dataset, loss: Loss = .crossEntropy) throws -> (loss: Double, accuracy: Double) {
        var lossSum = 0.0
        var correct = 0
        for indices in dataset.batchIndices(size: 1000, shuffledWith: nil) {
            let (x, y) = dataset.batch(indices)
            let output = try model.forward(x, context: ForwardContext(mode: .inference))
            lossSum += Double(try loss(output, labels: y).scalar) * Double(indices.count)
            let predictions = try output.argmax(axis: 1)
            correct += zip(predictions, y).filter { $0 == Int($1) }.count
        }
        let n = Double(max(dataset.count, 1))
        return (lossSum / n, Double(correct) / n)
    }
}
