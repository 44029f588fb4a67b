import InitiumCore

/// What a caller of ``Trainer/run(train:test:from:progress:)`` does inside the one training
/// loop instead of writing a second one: act around every step, take the update over, act after
/// every epoch, and copy the model's state at chosen steps.
///
/// The pruning studies are built from these: masks need nothing (the optimizers keep masked
/// weights at zero), lottery-ticket rewinding takes a ``ModelSnapshot`` at step k and restarts
/// from k, and supermask training sets each masked weight to w₀ ⊙ m(s) after every step and
/// replaces the update by one on the scores.
public struct TrainingHooks {
    /// Called just before each step runs, with that step.
    public var beforeStep: ((ScheduledStep) throws -> Void)?
    /// Called after each step's update (and only for a finite loss), with that step and its loss.
    public var afterStep: ((ScheduledStep, Float) throws -> Void)?
    /// Called after every epoch this run trains, with the epoch (1-based), after its evaluation.
    public var epochEnded: ((Int) throws -> Void)?
    /// Replaces the update once the loss is back-propagated: given the run's optimizer (its
    /// learning rate already set), it updates whatever the run trains. Unset, the optimizer steps
    /// the model's parameters.
    public var update: ((any Optimizer) throws -> Void)?
    /// The snapshots asked for with ``snapshot(atStep:_:)``.
    var snapshots: [(step: Int, take: (ModelSnapshot) -> Void)] = []

    /// No hooks: a plain run.
    public init(
        beforeStep: ((ScheduledStep) throws -> Void)? = nil, afterStep: ((ScheduledStep, Float) throws -> Void)? = nil,
        epochEnded: ((Int) throws -> Void)? = nil, update: ((any Optimizer) throws -> Void)? = nil
    ) {
        self.beforeStep = beforeStep
        self.afterStep = afterStep
        self.epochEnded = epochEnded
        self.update = update
    }

    /// Asks for the model's state after `step` steps of the run, i.e. just before step `step`
    /// runs, or after the last step when `step` is the run's total. `step` must lie between the
    /// run's start step and its total, or the run throws before training.
    public mutating func snapshot(atStep step: Int, _ take: @escaping (ModelSnapshot) -> Void) {
        snapshots.append((step, take))
    }

    /// Hands a snapshot of `model` to every request for `step`.
    func takeSnapshots(of model: any Module, atStep step: Int) {
        for request in snapshots where request.step == step {
            request.take(ModelSnapshot(of: model))
        }
    }
}

/// The values of a model's whole state at one moment: every parameter, then every buffer (batch
/// normalization's running statistics), in ``Module/namedState`` order, as open_lth saves and
/// restores the whole `state_dict` when it rewinds (Frankle et al., "Linear Mode Connectivity and
/// the Lottery Ticket Hypothesis", ICML 2020).
public struct ModelSnapshot: Sendable {
    /// The values, in ``Module/namedState`` order.
    public let values: [Tensor]

    /// The current state of `model`.
    public init(of model: any Module) {
        values = model.namedState.map(\.tensor.value)
    }

    /// Sets every parameter and buffer of `model` to the snapshot's value; throws if `model`'s
    /// state does not have the snapshot's tensors and shapes.
    public func restore(into model: any Module) throws {
        let state = model.namedState
        guard state.count == values.count else {
            throw InitiumError.invalidArgument("the snapshot holds \(values.count) tensors but the model's state has \(state.count)")
        }
        for (entry, value) in zip(state, values) where entry.tensor.value.shape != value.shape {
            throw InitiumError.invalidArgument(
                "the snapshot's \(entry.path) has shape \(value.shape) but the model's has \(entry.tensor.value.shape)")
        }
        for (entry, value) in zip(state, values) { entry.tensor.value = value }
    }
}
