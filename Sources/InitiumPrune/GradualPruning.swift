import Foundation
import InitiumCore
import InitiumInit
import InitiumNN

/// GraNet: gradual magnitude pruning during training with zero-cost neuroregeneration.
///
/// Liu, Chen, Chen, Atashgahi, Yin, Kou, Shen, Pechenizkiy, Wang & Mocanu, "Sparse Training via
/// Boosting Pruning Plasticity with Neuroregeneration", NeurIPS 2021. Follows the official code
/// (VITA-Group/GraNet, `CIFAR/sparselearning/core.py`, `Masking.step`, `pruning`,
/// `truncate_weights`): after optimizer step t (counted from 1), when t ≥ t₀ and t is a multiple
/// of ΔT,
///
/// 1. **Gradual pruning** (Zhu & Gupta, "To prune, or not to prune", 2017), while the update
///    index i = ⌊t/ΔT⌋ lies in [i₀, i_f] = [⌊t₀/ΔT⌋, ⌊t_f/ΔT⌋]: keep the ⌊N·d(t)⌋ largest |w| over
///    all prunable weights (one global threshold), where
///
///        d(t) = d_f + (d_i − d_f)·(1 − (i − i₀)/(i_f − i₀))³,
///
///    the code's prune rate (1 − d_i) + (d_i − d_f)(1 − (1 − (i − i₀)/(i_f − i₀))³) read as a density.
/// 2. **Neuroregeneration** (at every such t, also after t_f): in each tensor, remove the
///    ⌈r·n⌉ smallest-magnitude of its n active weights and regrow as many inactive ones with the
///    largest |∂L/∂w| on the step's batch (the dense gradient, which the masked forward pass
///    still computes), at value zero. The death rate r follows PyTorch's `CosineAnnealingLR`
///    over the whole run, r(t) = r_min + (r₀ − r_min)(1 + cos(πt/T))/2, r₀ = 0.5, r_min = 0.005.
///
/// Density is unchanged by step 2, so the run ends at d_f. With d_i < 1 the network starts at
/// d_i by global magnitude pruning at initialization (the code's `prune_global` start; its
/// default sparse-to-sparse start is a random ERK mask). Removed weights stay at zero through the
/// optimizers' masks (``PruningMask/apply(to:)``), and regrown ones restart from zero.
public struct GradualPruning: Sendable {
    /// The density d_i at the start (1: dense).
    public var initialDensity: Double
    /// The density d_f reached at ``endStep``.
    public var finalDensity: Double
    /// t₀: the first step at which the network is pruned.
    public var startStep: Int
    /// t_f: the step after which the density stays at d_f.
    public var endStep: Int
    /// ΔT: steps between mask updates (GraNet's `--update-frequency`, default 100).
    public var frequency: Int
    /// r₀: the death rate of neuroregeneration at step 0 (GraNet's `--prune-rate`, 0.5); 0 turns
    /// regeneration off, leaving plain gradual magnitude pruning (the code's `GMP` method).
    public var regenerationRate: Double
    /// Which weights are pruned.
    public var selection: PrunableSelection

    /// The floor of the death rate's cosine decay (the code's `CosineDecay(eta_min=0.005)`).
    public static let minimumRegenerationRate = 0.005

    /// A schedule; GraNet's defaults are ΔT = 100 and r₀ = 0.5.
    public init(
        initialDensity: Double = 1, finalDensity: Double, startStep: Int, endStep: Int, frequency: Int = 100,
        regenerationRate: Double = 0.5, selection: PrunableSelection = .excludingClassifier
    ) {
        self.initialDensity = initialDensity
        self.finalDensity = finalDensity
        self.startStep = startStep
        self.endStep = endStep
        self.frequency = frequency
        self.regenerationRate = regenerationRate
        self.selection = selection
    }

    /// Throws if a setting is out of range for a run of `totalSteps` steps.
    public func validate(totalSteps: Int) throws {
        try PruningMask.validate(density: initialDensity)
        try PruningMask.validate(density: finalDensity)
        guard finalDensity <= initialDensity else {
            throw InitiumError.invalidArgument("`finalDensity` \(finalDensity) must not exceed `initialDensity` \(initialDensity)")
        }
        guard frequency >= 1 else { throw InitiumError.invalidArgument("`frequency` must be at least 1 step, got \(frequency)") }
        guard regenerationRate >= 0, regenerationRate < 1 else {
            throw InitiumError.invalidArgument("`regenerationRate` must be in [0, 1), got \(regenerationRate)")
        }
        guard startStep >= 0, startStep <= endStep, endStep <= totalSteps else {
            throw InitiumError.invalidArgument(
                "need 0 ≤ `startStep` ≤ `endStep` ≤ the run's \(totalSteps) steps, got \(startStep) and \(endStep)")
        }
        guard endStep / frequency >= 1, endStep / frequency > startStep / frequency || initialDensity == finalDensity else {
            throw InitiumError.invalidArgument(
                "no mask update (every \(frequency) steps) falls between `startStep` \(startStep) and `endStep` \(endStep); "
                    + "lower `frequency` or widen the pruning window")
        }
    }

    /// Whether the mask is updated after step `t` (counted from 1).
    public func updates(afterStep t: Int) -> Bool { t >= startStep && t % frequency == 0 && t > 0 }

    /// The target density after step `t`, or `nil` when step 1 (magnitude pruning) does not run.
    public func density(afterStep t: Int) -> Double? {
        let i = t / frequency, first = startStep / frequency, last = endStep / frequency
        guard updates(afterStep: t), i >= first, i <= last else { return nil }
        guard last > first else { return finalDensity }
        let remaining = 1 - Double(i - first) / Double(last - first)
        return finalDensity + (initialDensity - finalDensity) * remaining * remaining * remaining
    }

    /// The death rate r(t) after step `t` of a run of `totalSteps`.
    public func regenerationRate(afterStep t: Int, totalSteps: Int) -> Double {
        guard regenerationRate > 0 else { return 0 }
        let floor = Swift.min(Self.minimumRegenerationRate, regenerationRate)
        return floor + (regenerationRate - floor) * (1 + cos(Double.pi * Double(t) / Double(Swift.max(totalSteps, 1)))) / 2
    }

    /// The mask after neuroregeneration at rate `rate`: per tensor, the ⌈rate·n⌉ smallest |w| of
    /// the n kept entries are removed and as many removed entries with the largest |g| are kept.
    /// Ties go to the earlier entry.
    public static func regenerated(_ mask: PruningMask, values: [Tensor], gradients: [Tensor], rate: Double) throws -> PruningMask {
        let masks = zip(mask.masks, zip(values, gradients)).map { m, vg -> Tensor in
            let (w, g) = vg
            var out = m
            let active = m.withUnsafeBufferPointer { p in p.indices.filter { p[$0] != 0 } }
            let count = Int((rate * Double(active.count)).rounded(.up))
            guard count > 0, active.count < m.count else { return m }
            w.withUnsafeBufferPointer { wv in
                g.withUnsafeBufferPointer { gv in
                    out.withUnsafeMutableBufferPointer { o in
                        let dying = active.sorted { (Swift.abs(wv[$0]), $0) < (Swift.abs(wv[$1]), $1) }.prefix(count)
                        for j in dying { o[j] = 0 }
                        let candidates = o.indices.filter { o[$0] == 0 }
                        let growing = candidates.sorted { (-Swift.abs(gv[$0]), $0) < (-Swift.abs(gv[$1]), $1) }.prefix(count)
                        for j in growing { o[j] = 1 }
                    }
                }
            }
            return out
        }
        return try PruningMask(paths: mask.paths, masks: masks)
    }

    /// Installs the schedule as `trainer`'s after-step hook over `weights` (already masked at
    /// d_i) for a run of `totalSteps`; the returned log fills in as the run trains.
    public func install(on trainer: Trainer, weights: [PrunableWeight], totalSteps: Int) -> GradualPruningLog {
        let log = GradualPruningLog()
        let paths = weights.map(\.path)
        trainer.hooks.afterStep = { scheduled, _ in
            let t = scheduled.step + 1
            guard self.updates(afterStep: t) else { return }
            var mask = PruningMask.installed(on: weights)
            if let density = self.density(afterStep: t) {
                let magnitudes = weights.map { $0.parameter.value.mapped(Swift.abs) }
                mask = try PruningMask.keepingTop(magnitudes, paths: paths, density: density, scope: .global)
                try mask.apply(to: weights)
            }
            let rate = self.regenerationRate(afterStep: t, totalSteps: totalSteps)
            var regrown = 0
            if rate > 0 {
                let gradients = weights.map { $0.parameter.gradient ?? Tensor.zeros($0.parameter.shape) }
                let next = try Self.regenerated(mask, values: weights.map(\.parameter.value), gradients: gradients, rate: rate)
                regrown = zip(next.masks, mask.masks).reduce(0) { total, pair in
                    total + pair.0.withUnsafeBufferPointer { a in pair.1.withUnsafeBufferPointer { b in
                        zip(a, b).reduce(0) { $0 + ($1.0 != 0 && $1.1 == 0 ? 1 : 0) } } }
                }
                mask = next
                try mask.apply(to: weights)
            }
            log.entries.append(GradualPruningLog.Entry(step: t, density: mask.density, regrown: regrown, deathRate: rate))
        }
        return log
    }
}

/// What a gradual-pruning run did at each mask update.
public final class GradualPruningLog: @unchecked Sendable {
    /// One mask update.
    public struct Entry: Sendable, Codable, Equatable {
        /// The step after which the mask changed (from 1).
        public var step: Int
        /// The density after the update.
        public var density: Double
        /// Weights regrown by neuroregeneration.
        public var regrown: Int
        /// The death rate used.
        public var deathRate: Double

        enum CodingKeys: String, CodingKey { case step, density, regrown, deathRate = "death_rate" }
    }

    /// The updates, in order.
    public internal(set) var entries: [Entry] = []
}

/// Gradual pruning of a freshly initialized network while it trains (``GradualPruning``),
/// reported like ``PruningExperiment``: θ₀ from `RandomKey(seed:)`, the data order of the seed,
/// ShrinkBench metrics at the start and after training.
public struct GradualPruningExperiment: Sendable {
    /// The schedule.
    public var schedule: GradualPruning
    /// Builds θ₀.
    public var recipe: ModelRecipe
    /// How to train (its key is replaced by the seed's data key).
    public var training: TrainingConfiguration
    /// The seed of θ₀ and the data order.
    public var seed: UInt64

    /// An experiment.
    public init(schedule: GradualPruning, recipe: ModelRecipe, training: TrainingConfiguration, seed: UInt64) {
        self.schedule = schedule
        self.recipe = recipe
        self.training = training
        self.seed = seed
    }

    /// Builds, trains while pruning, and measures the network; the result's mask is the final one.
    public func run(
        train: Dataset, test: Dataset, progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> (result: PruningResult, log: GradualPruningLog) {
        var configuration = training.dataOrder(ofSeed: seed)
        configuration.evaluatesEveryEpoch = false
        let totalSteps = configuration.totalSteps(for: train)
        try schedule.validate(totalSteps: totalSteps)
        let model = try recipe.make(key: RandomKey(seed: seed), for: train, batchSize: training.batchSize)
        let weights = try schedule.selection.weights(of: model)
        let start = try PruningMask.keepingTop(
            weights.map { $0.parameter.value.mapped(Swift.abs) }, paths: weights.map(\.path), density: schedule.initialDensity,
            scope: .global)
        try start.apply(to: weights)
        let trainer = Trainer(model: model, configuration: configuration)
        let log = schedule.install(on: trainer, weights: weights, totalSteps: totalSteps)
        let result = try PruningResult.training(model, from: start, with: trainer, train: train, test: test, progress: progress) {
            PruningMask.installed(on: weights)
        }
        return (result, log)
    }
}
