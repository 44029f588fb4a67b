import Foundation
import InitiumCore

/// Progress of a run, reported after every step.
public struct TrainingProgress: Sendable {
    /// The epoch (1-based) and the step within it (1-based).
    public var epoch: Int, stepInEpoch: Int
    /// Steps per epoch and in the whole run.
    public var stepsPerEpoch: Int, totalSteps: Int
    /// The step this call started from (0 unless it resumes part-way through the run).
    public var startStep: Int
    /// Steps of the run done so far, counted from the run's beginning (``startStep`` + 1 after
    /// this call's first step).
    public var step: Int
    /// This step's loss and the epoch's running mean.
    public var loss: Float, meanLoss: Float
    /// Throughput of this call so far.
    public var samplesPerSecond: Double
    /// Seconds since this call started.
    public var elapsed: Double

    /// Steps this call trains, ``totalSteps`` − ``startStep``.
    public var stepsToTrain: Int { totalSteps - startStep }
    /// Steps this call has trained so far, ``step`` − ``startStep``.
    public var stepsTrained: Int { step - startStep }
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
    /// Per-epoch summaries of the epochs this call trained.
    public var epochs: [EpochSummary]
    /// The loss at every step this call took.
    public var stepLosses: [Float]
    /// Final test accuracy and loss.
    public var testAccuracy: Double, testLoss: Double
    /// Mean training loss of the last epoch (over the steps this call took in it).
    public var trainLoss: Double
    /// Wall-clock seconds for training (evaluation excluded) and in total.
    public var trainingSeconds: Double, seconds: Double
    /// Optimizer steps taken by this call.
    public var steps: Int
    /// Training throughput.
    public var stepsPerSecond: Double { Double(steps) / max(trainingSeconds, 1e-9) }
    /// Training throughput in examples.
    public var samplesPerSecond: Double
}

/// Trains a model with mini-batch gradient descent and evaluates it: the one training loop of
/// the package. Plain training, training with pruning masks (which the optimizers honour),
/// lottery-ticket rewinding and supermask score training all run through
/// ``run(train:test:from:progress:)``, the last two through ``hooks``.
public final class Trainer {
    /// The model being trained.
    public let model: any Module
    /// The run's settings.
    public let configuration: TrainingConfiguration
    /// What the caller does around steps and epochs, how the update is made, and when the
    /// model's state is copied.
    public var hooks = TrainingHooks()

    /// A trainer for `model`.
    public init(model: any Module, configuration: TrainingConfiguration) {
        self.model = model
        self.configuration = configuration
    }

    /// Trains on `train` from step `start` to the end of the run and evaluates on `test` after
    /// every epoch (``TrainingConfiguration/evaluatesEveryEpoch``) or after the last.
    ///
    /// Batches, learning rates and keys come from
    /// ``TrainingConfiguration/forEachStep(over:from:epochStarted:epochEnded:_:)``, so a call that starts at step k continues the run that a call from step 0 would have
    /// made, given the model's state after k steps (``TrainingHooks/snapshot(atStep:_:)``). The
    /// optimizer starts fresh at every call (open_lth rewinds weights, not optimizer state). A
    /// non-finite loss stops the run with ``InitiumError/nonFiniteLoss(step:value:)``.
    public func run(
        train: Dataset, test: Dataset, from start: Int = 0, progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> TrainingResult {
        try configuration.validate()
        let stepsPerEpoch = configuration.stepsPerEpoch(for: train)
        let totalSteps = configuration.totalSteps(for: train)
        guard start >= 0, start <= totalSteps else {
            throw InitiumError.invalidArgument("the run has \(totalSteps) steps; cannot start at step \(start)")
        }
        if let step = hooks.snapshots.map(\.step).first(where: { $0 < start || $0 > totalSteps }) {
            throw InitiumError.invalidArgument(
                "a snapshot step must be between the start step \(start) and the run's \(totalSteps) steps, got \(step)")
        }
        let optimizer = try configuration.optimizer.makeOptimizer(for: model)
        let epochCount = configuration.epochCount(for: train)
        let parameters = model.parameters
        let began = DispatchTime.now()
        var trainingNanoseconds: UInt64 = 0
        var epochs: [EpochSummary] = []
        var stepLosses: [Float] = []
        stepLosses.reserveCapacity(totalSteps - start)
        var lastEvaluation: (loss: Double, accuracy: Double)?
        var lastTrainLoss = Double.nan
        var epochStart = began
        var lossSum = 0.0, lossCount = 0
        var samples = 0
        hooks.takeSnapshots(of: model, atStep: start)
        try configuration.forEachStep(over: train, from: start, epochStarted: { _ in
            epochStart = DispatchTime.now()
            (lossSum, lossCount) = (0, 0)
        }, epochEnded: { epoch in
            trainingNanoseconds += DispatchTime.now().uptimeNanoseconds - epochStart.uptimeNanoseconds
            lastTrainLoss = lossSum / Double(max(lossCount, 1))
            let evaluates = configuration.evaluatesEveryEpoch || epoch == epochCount
            if evaluates {
                lastEvaluation = try Self.evaluate(model, on: test, loss: configuration.loss)
            }
            try hooks.epochEnded?(epoch)
            epochs.append(EpochSummary(
                epoch: epoch, trainLoss: lastTrainLoss,
                testLoss: evaluates ? lastEvaluation?.loss : nil, testAccuracy: evaluates ? lastEvaluation?.accuracy : nil,
                seconds: Self.seconds(since: began)))
        }) { scheduled in
            try hooks.beforeStep?(scheduled)
            optimizer.learningRate = scheduled.learningRate
            let (x, y) = train.batch(scheduled.batch)
            let value = try self.step(
                inputs: x, labels: y, graph: train.graphBatch(scheduled.batch), optimizer: optimizer, parameters: parameters,
                key: scheduled.key)
            let step = scheduled.step + 1
            guard value.isFinite else { throw InitiumError.nonFiniteLoss(step: step, value: value) }
            stepLosses.append(value)
            samples += scheduled.batch.count
            lossSum += Double(value)
            lossCount += 1
            try hooks.afterStep?(scheduled, value)
            hooks.takeSnapshots(of: model, atStep: step)
            if let progress {
                let trained = Double(trainingNanoseconds + DispatchTime.now().uptimeNanoseconds - epochStart.uptimeNanoseconds) / 1e9
                progress(TrainingProgress(
                    epoch: scheduled.epoch, stepInEpoch: scheduled.indexInEpoch + 1, stepsPerEpoch: stepsPerEpoch,
                    totalSteps: totalSteps, startStep: start, step: step, loss: value,
                    meanLoss: Float(lossSum / Double(lossCount)),
                    samplesPerSecond: Double(samples) / max(trained, 1e-9),
                    elapsed: Self.seconds(since: began)))
            }
        }
        // a call that starts at the end trains no epoch, so nothing was evaluated yet
        let evaluation = try lastEvaluation ?? Self.evaluate(model, on: test, loss: configuration.loss)
        let trainingSeconds = Double(trainingNanoseconds) / 1e9
        return TrainingResult(
            epochs: epochs, stepLosses: stepLosses, testAccuracy: evaluation.accuracy, testLoss: evaluation.loss,
            trainLoss: lastTrainLoss, trainingSeconds: trainingSeconds, seconds: Self.seconds(since: began),
            steps: stepLosses.count,
            samplesPerSecond: Double(samples) / max(trainingSeconds, 1e-9))
    }

    /// One optimization step on a batch: forward, loss, backward, then the update — by default
    /// the optimizer's step on `parameters`, or ``TrainingHooks/update`` when set. Returns the
    /// loss; a non-finite loss is returned without updating anything. `graph` is the batch's
    /// structure for graph data (``Dataset/graphBatch(_:)``), set on the forward context.
    public func step(
        inputs: Tensor, labels: [Int32], graph: GraphBatch? = nil, optimizer: any Optimizer, parameters: [Parameter],
        key: RandomKey
    ) throws -> Float {
        let context = ForwardContext(mode: .training, key: key)
        context.graph = graph
        let output = try model.forward(inputs, context: context)
        let loss = try configuration.loss(output, labels: labels)
        let value = loss.scalar
        guard value.isFinite else { return value }
        model.zeroGradients()
        try loss.backward()
        if let update = hooks.update {
            try update(optimizer)
        } else {
            try optimizer.step(parameters)
        }
        return value
    }

    /// Rows of labels (examples, or tokens of sequences) an evaluation batch holds at most.
    public static let evaluationRows = 1000

    /// Mean loss and accuracy of `model` on `dataset` in inference mode, per label: per example
    /// for classification, per token for language-model data (T labels per example, the logits
    /// `[B·T, V]`), where the loss is the cross-entropy in nats per token and the accuracy the
    /// next-token accuracy. Batches hold at most ``evaluationRows`` labels (1,000 examples, or
    /// ⌊1000/T⌋ sequences), so a large validation set of long sequences never needs more logits.
    public static func evaluate(_ model: any Module, on dataset: Dataset, loss: Loss = .crossEntropy) throws -> (loss: Double, accuracy: Double) {
        let labelsPerExample = max(dataset.labels.count / max(dataset.count, 1), 1)
        var lossSum = 0.0
        var correct = 0
        for indices in dataset.batchIndices(size: max(evaluationRows / labelsPerExample, 1), shuffledWith: nil) {
            let (x, y) = dataset.batch(indices)
            let output = try model.forward(x, context: dataset.forwardContext(for: indices, mode: .inference))
            lossSum += Double(try loss(output, labels: y).scalar) * Double(y.count)
            let predictions = try output.argmax(axis: 1)
            correct += zip(predictions, y).filter { $0 == Int($1) }.count
        }
        let n = Double(max(dataset.labels.count, 1))
        return (lossSum / n, Double(correct) / n)
    }

    private static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
