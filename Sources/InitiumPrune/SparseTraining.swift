import Foundation

/// The outcome of a (sparse) training run.
public struct SparseTrainingResult: Sendable {
    /// Test accuracy and loss after the last step.
    public var testAccuracy: Double, testLoss: Double
    /// Mean training loss over the last epoch's steps.
    public var trainLoss: Double
    /// Optimizer steps taken.
    public var steps: Int
}

/// Progress of a training run, reported after every step.
public struct StepProgress: Sendable {
    /// The epoch (1-based).
    public var epoch: Int
    /// Steps done in this run and steps it will take.
    public var step: Int, totalSteps: Int
    /// Mean training loss over the epoch so far.
    public var meanLoss: Float
    /// Training examples per second so far.
    public var samplesPerSecond: Double
}

/// Training with masks in place, able to start part-way through a run and to hand out the
/// weights at a given step: what iterative magnitude pruning with rewinding needs.
///
/// Batches, learning rates and keys come from `TrainingConfiguration.forEachStep`, as in
/// `Trainer.run` (epoch e shuffles with `key.fold("epoch.e")`, step s draws with
/// `key.fold("step.s")`), so a run that
/// starts at step 0 reproduces `Trainer.run` and one that starts at step k continues it. Masks
/// installed on parameters are honoured by the optimizers: removed weights stay exactly zero.
/// The optimizer starts fresh (open_lth rewinds weights, not optimizer state).
public struct SparseTraining: Sendable {
    /// Epochs, batch size, optimizer, schedule and data-order key.
    public var configuration: TrainingConfiguration

    /// A training run.
    public init(configuration: TrainingConfiguration) { self.configuration = configuration }

    /// Steps in the whole run.
    public func totalSteps(for train: Dataset) -> Int { configuration.totalSteps(for: train) }

    /// Trains `model` from step `start` to the end of the run and evaluates it on `test`.
    ///
    /// - Parameters:
    ///   - snapshotStep: when set, `snapshot` is called with the values of the model's
    ///     ``SparseTraining/state(of:)`` just before that step runs (after the last step if it
    ///     equals the total).
    ///   - progress: called after every step.
    public func run(
        _ model: any Module, train: Dataset, test: Dataset, startStep start: Int = 0, snapshotStep: Int? = nil,
        snapshot: (([Tensor]) -> Void)? = nil, progress: ((StepProgress) -> Void)? = nil
    ) throws -> SparseTrainingResult {
        let parameters = model.parameters
        let state = Self.state(of: model)
        let trainer = Trainer(model: model, configuration: configuration)
        let trainLoss = try loop(
            train: train, startStep: start, snapshotStep: snapshot == nil ? nil : snapshotStep, snapshot: { snapshot?(state.map(\.value)) },
            progress: progress
        ) { x, y, optimizer, key in
            try trainer.step(inputs: x, labels: y, optimizer: optimizer, parameters: parameters, key: key)
        }
        let evaluation = try Trainer.evaluate(model, on: test, loss: configuration.loss)
        return SparseTrainingResult(
            testAccuracy: evaluation.accuracy, testLoss: evaluation.loss, trainLoss: trainLoss,
            steps: totalSteps(for: train) - start)
    }

    /// What a rewind restores: every parameter, then every buffer (batch normalization's running
    /// statistics), as open_lth saves and restores the whole `state_dict`.
    public static func state(of model: any Module) -> [Parameter] {
        model.namedState.map(\.tensor)
    }

    /// The loop shared by every training in this module: visits the run's steps from `start`,
    /// setting the learning rate and calling `body(inputs, labels, optimizer, stepKey)`, which
    /// returns the step's loss. Returns the mean loss of the last epoch trained.
    func loop(
        train: Dataset, startStep start: Int = 0, snapshotStep: Int? = nil, snapshot: (() -> Void)? = nil,
        progress: ((StepProgress) -> Void)? = nil,
        body: (Tensor, [Int32], any Optimizer, RandomKey) throws -> Float
    ) throws -> Double {
        try configuration.validate()
        let total = totalSteps(for: train)
        guard start >= 0, start <= total else {
            throw InitiumError.invalidArgument("the run has \(total) steps; cannot start at step \(start)")
        }
        if let snapshotStep, snapshotStep < start || snapshotStep > total {
            throw InitiumError.invalidArgument("--rewind-step must be between 0 and the run's \(total) steps, got \(snapshotStep)")
        }
        let optimizer = try configuration.optimizer.makeOptimizer()
        let began = DispatchTime.now()
        var lossSum = 0.0, lossCount = 0
        try configuration.forEachStep(over: train, from: start, epochStarted: { _ in (lossSum, lossCount) = (0, 0) }) { scheduled in
            if scheduled.step == snapshotStep { snapshot?() }
            optimizer.learningRate = scheduled.learningRate
            let (x, y) = train.batch(scheduled.batch)
            let loss = try body(x, y, optimizer, scheduled.key)
            guard loss.isFinite else { throw InitiumError.nonFiniteLoss(step: scheduled.step + 1, value: loss) }
            lossSum += Double(loss)
            lossCount += 1
            if let progress {
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - began.uptimeNanoseconds) / 1e9
                let done = scheduled.step + 1 - start
                progress(StepProgress(
                    epoch: scheduled.epoch, step: done, totalSteps: total - start, meanLoss: Float(lossSum / Double(lossCount)),
                    samplesPerSecond: Double(done * configuration.batchSize) / max(elapsed, 1e-9)))
            }
        }
        if snapshotStep == total { snapshot?() }
        return lossCount == 0 ? .nan : lossSum / Double(lossCount)
    }
}
