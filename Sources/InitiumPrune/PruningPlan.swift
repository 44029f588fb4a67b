import InitiumCore
import InitiumNN

/// Pruning at initialization: score, keep the top, repeat for iterative methods, then check for
/// layer collapse and optionally rescale — Synaptic-Flow's `prune_loop` with ShrinkBench's
/// reporting.
///
/// For rounds e = 1…E the plan scores the currently masked model and keeps the top
/// ``PruningSchedule/density(afterRound:of:target:)`` of the prunable weights (global or per
/// layer), never reviving a removed weight. With E = 1 this is single-shot pruning (SNIP, GraSP,
/// magnitude, random); SynFlow's default is E = 100 on an exponential schedule.
public struct PruningPlan: Sendable {
    /// The scoring method.
    public var method: PruningMethod
    /// The target density d ∈ (0, 1] over the prunable weights.
    public var density: Double
    /// Scoring rounds E.
    public var rounds: Int
    /// How the per-round density moves from 1 to d.
    public var schedule: PruningSchedule
    /// Global or layer-wise thresholds.
    public var scope: MaskScope
    /// Which weights may be pruned.
    public var selection: PrunableSelection
    /// Whether to apply ``RobustRescaling`` to the surviving weights.
    public var rescales: Bool
    /// Whether a layer losing every weight is allowed (else pruning throws).
    public var allowsCollapse: Bool

    /// A plan; `rounds` defaults to the method's (100 for SynFlow, 1 otherwise).
    public init(
        method: PruningMethod, density: Double, rounds: Int? = nil, schedule: PruningSchedule = .exponential,
        scope: MaskScope = .global, selection: PrunableSelection = .excludingClassifier, rescales: Bool = false,
        allowsCollapse: Bool = false
    ) {
        self.method = method
        self.density = density
        self.rounds = rounds ?? method.defaultRounds
        self.schedule = schedule
        self.scope = scope
        self.selection = selection
        self.rescales = rescales
        self.allowsCollapse = allowsCollapse
    }

    /// Throws if a setting is out of range.
    public func validate() throws {
        try PruningMask.validate(density: density)
        guard rounds >= 1 else { throw InitiumError.invalidArgument("`rounds` must be at least 1, got \(rounds)") }
    }

    /// Prunes `model` in place: installs the final mask on its prunable weights (removed entries
    /// become exactly zero) and, if asked, rescales the survivors. `progress(round, rounds)` is
    /// called after each round.
    public func prune(
        _ model: any Module, data: ScoringData, progress: ((Int, Int) -> Void)? = nil
    ) throws -> PruningMask {
        try validate()
        let weights = try selection.weights(of: model)
        let score = method.score
        if score.needsData { _ = try data.labelledBatch(for: score.name) }
        let dense = weights.map(\.parameter.value)
        var mask = PruningMask.installed(on: weights)
        for round in 1...rounds {
            let scores = try score.scores(model: model, weights: weights, data: data)
            let target = schedule.density(afterRound: round, of: rounds, target: density)
            mask = try PruningMask.keepingTop(scores, paths: weights.map(\.path), density: target, scope: scope, within: mask)
            try mask.apply(to: weights)
            progress?(round, rounds)
        }
        try Self.checkCollapse(mask, density: density, method: method.rawValue, allowed: allowsCollapse)
        if rescales {
            try RobustRescaling.apply(to: weights, denseValues: dense, mask: mask)
        }
        return mask
    }

    /// Throws ``InitiumError/invalidArgument(_:)`` naming the collapsed layers unless `allowed`.
    static func checkCollapse(_ mask: PruningMask, density: Double, method: String, allowed: Bool) throws {
        let collapsed = mask.collapsedPaths
        guard !collapsed.isEmpty, !allowed else { return }
        throw InitiumError.invalidArgument(
            "layer collapse: \(method) at density \(density) removed every weight of \(collapsed.joined(separator: ", ")), "
                + "so the network's output no longer depends on its input; use a higher `density`, `method` synflow, "
                + "`scope` layerwise, or set `allowsCollapse` to train it anyway")
    }
}
