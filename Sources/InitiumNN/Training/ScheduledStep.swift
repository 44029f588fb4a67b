import InitiumCore

/// One optimization step of a run as ``Trainer`` takes it and hands it to its hooks: its place
/// in the run, the examples of its mini-batch, its learning rate and its random key.
public struct ScheduledStep: Sendable {
    /// The epoch, from 1.
    public var epoch: Int
    /// The step's index in the whole run, from 0.
    public var step: Int
    /// The step's index within its epoch, from 0.
    public var indexInEpoch: Int
    /// Indices of the training examples in the mini-batch.
    public var batch: ArraySlice<Int>
    /// The schedule's learning rate for this step.
    public var learningRate: Float
    /// The step's key (dropout and other randomness of the forward pass).
    public var key: RandomKey
}

extension TrainingConfiguration {
    /// This configuration with the data order of run `seed`: key `RandomKey(seed:).fold("data")`,
    /// the convention every command that trains (train, compare, prune, lottery, supermask)
    /// follows, so the same seed gives the same batches everywhere (weights use `fold("init")`).
    public func dataOrder(ofSeed seed: UInt64) -> TrainingConfiguration {
        var configuration = self
        configuration.key = RandomKey(seed: seed).fold("data")
        return configuration
    }

    /// Mini-batches per epoch over `train` (the last may be smaller); 1 for node tasks of graph
    /// data, which train full-batch.
    public func stepsPerEpoch(for train: Dataset) -> Int {
        if train.graph?.isFullBatch == true { return min(train.count, 1) }
        return (train.count + batchSize - 1) / batchSize
    }

    /// Steps in the whole run over `train`: ``steps`` when set, else ``epochs`` full passes.
    public func totalSteps(for train: Dataset) -> Int {
        steps ?? stepsPerEpoch(for: train) * epochs
    }

    /// Epochs the run visits over `train`, the last possibly partial: ``epochs``, or enough
    /// passes for ``steps``.
    public func epochCount(for train: Dataset) -> Int {
        guard let steps else { return epochs }
        let perEpoch = max(stepsPerEpoch(for: train), 1)
        return (steps + perEpoch - 1) / perEpoch
    }

    /// Visits the run's steps from step `start` on, in order — the one definition of a run's
    /// data order, which ``Trainer`` follows for every kind of training: epoch e shuffles the training
    /// set with `key.fold("epoch.e")`, step s uses `key.fold("step.s")`, and the learning rate
    /// follows ``schedule`` and the warm-up (``learningRate(atStep:totalSteps:stepsPerEpoch:)``).
    /// A run of ``steps`` stops after that many, part-way through its last epoch.
    /// Epochs that end before `start` are skipped without shuffling.
    /// `epochStarted(e)` runs before an epoch's first visited step and `epochEnded(e)` after its last.
    public func forEachStep(
        over train: Dataset, from start: Int = 0, epochStarted: (Int) throws -> Void = { _ in },
        epochEnded: (Int) throws -> Void = { _ in }, _ body: (ScheduledStep) throws -> Void
    ) rethrows {
        let perEpoch = stepsPerEpoch(for: train)
        let total = totalSteps(for: train)
        for epoch in stride(from: 1, through: epochCount(for: train), by: 1) where epoch * perEpoch > start && start < total {
            try epochStarted(epoch)
            let batches = train.batchIndices(size: batchSize, shuffledWith: key.fold("epoch.\(epoch)"))
            for (index, batch) in batches.enumerated() {
                let step = (epoch - 1) * perEpoch + index
                guard step < total else { break }
                guard step >= start else { continue }
                let rate = learningRate(atStep: step, totalSteps: total, stepsPerEpoch: perEpoch)
                try body(ScheduledStep(
                    epoch: epoch, step: step, indexInEpoch: index, batch: batch, learningRate: rate, key: key.fold("step.\(step)")))
            }
            try epochEnded(epoch)
        }
    }
}
