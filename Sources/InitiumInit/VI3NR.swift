import InitiumCore
import InitiumNN

/// VI3NR, variance-informed initialization for implicit neural representations (Koneputugodage,
/// Ben-Shabat, Ramasinghe, Gould, CVPR 2025; official `Chumbyte/vi3nr`, `vi3nr.py`), for any
/// activation φ of the catalog:
/// - every layer after the first: std(W) = gain/√fan_in with gain = σ_p/√E[φ(σ_p Z)²], Z ~ N(0, 1),
///   so a layer whose inputs are φ of N(0, σ_p²) pre-activations has pre-activations of
///   variance σ_p² again (the forward condition);
/// - the first layer (role `.input`): gain = σ_p/√E[x²], with E[x²] = mean(x)² + std(x)² of the
///   network's inputs: the initialization batch (``InitializationContext/batch``), else the
///   target signal's coordinates (``InitializationContext/target``); behind a Fourier-feature
///   encoding the first layer reads [cos 2πBv, sin 2πBv], whose mean square is exactly ½;
/// - σ_p: the `sigma-p` parameter, or by default the root of the backward condition
///   cond(σ_p) = σ_p² E[φ′(σ_p Z)²]/E[φ(σ_p Z)²] = 1 (equal gradient variance across square
///   layers), found by InitiumTheory's quadrature and root finder instead of the authors'
///   10⁶-sample Monte Carlo and 0.001-step grid search, so a new activation needs no constants;
/// - W ~ U(±√3·std) (`distribution=uniform`, the paper's default) or N(0, std²)
///   (`distribution=normal`);
/// - biases 0: the forward condition spends the whole variance σ_p² on Wx (a PyTorch-default bias
///   would add 1/(3 fan_in) to it, more than σ_p² itself for SIREN-like σ_p).
/// On a single tensor the hidden-layer rule applies.
struct VarianceInformedInitializer: TensorInitializer {
    /// σ_p as given, or `nil` for the balanced one.
    let preactivationStandardDeviation: Double?
    /// Uniform or normal.
    let family: VarianceScaling.DistributionFamily
    /// The gain, when already resolved (model recipe); `nil`: the hidden gain of the context's φ.
    var gain: Double?

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        let g = try gain ?? TheoryBridge.varianceInformed(
            try context.requireActivation(for: "vi3nr"), preactivationStandardDeviation: preactivationStandardDeviation).gain
        return try VarianceScaling(scale: g * g, mode: .fanIn, family: family).sample(layout, key: key)
    }
}

/// VI3NR over a model: the first-layer rule for the `.input` layer, the hidden rule elsewhere.
struct VarianceInformedRecipe: ModelInitializer {
    let preactivationStandardDeviation: Double?
    let family: VarianceScaling.DistributionFamily

    func initialize(_ model: any Module, context: InitializationContext) throws -> InitializationLog {
        let activation = try context.requireActivation(for: "vi3nr")
        let (sigmaP, gain) = try TheoryBridge.varianceInformed(activation, preactivationStandardDeviation: preactivationStandardDeviation)
        var log = InitializationLog()
        for site in try ModelWalk.weightedLayers(of: model) {
            let first = site.roles.contains(.input)
            let layerGain = first ? sigmaP / (try Self.inputSecondMoment(of: model, context: context)).squareRoot() : gain
            let rule = VarianceInformedInitializer(preactivationStandardDeviation: sigmaP, family: family, gain: layerGain)
            try site.initialize(
                with: rule, name: first ? "vi3nr first layer" : "vi3nr", context: context, log: &log,
                extra: ["sigma_p": sigmaP, "gain": layerGain])
        }
        return log
    }

    /// E[x²] of the first layer's inputs: ½ behind a Fourier-feature encoding (cos² + sin² = 1 per
    /// frequency), else the mean square of the batch's entries, else of the target's coordinates.
    static func inputSecondMoment(of model: any Module, context: InitializationContext) throws -> Double {
        if model.namedModules.contains(where: { $0.module is FourierFeatureEncoding }) { return 0.5 }
        guard let inputs = context.batch ?? context.target?.coordinates() else {
            throw InitiumError.invalidArgument(
                "vi3nr scales the first layer by its inputs' mean square; give it data (a batch) or the target signal")
        }
        let values = inputs.scalars
        guard !values.isEmpty else { throw InitiumError.invalidArgument("vi3nr: the input batch is empty") }
        let meanSquare = values.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(values.count)
        guard meanSquare > 0, meanSquare.isFinite else {
            throw InitiumError.invalidArgument("vi3nr: the inputs' mean square is \(meanSquare); the first layer cannot be scaled to σ_p")
        }
        return meanSquare
    }
}

extension SchemeCatalog {
    static let vi3nrEntry = Entry(
        name: "vi3nr",
        parameters: [
            ParameterInfo(name: "sigma-p", defaultValue: "balanced", summary: "target pre-activation std σ_p (default: the root of the backward condition)"),
            ParameterInfo(name: "distribution", defaultValue: "uniform", summary: "uniform or normal"),
        ],
        summary: "std = σ_p/(√E[φ(σ_p Z)²]·√fan_in) keeps pre-activation variance σ_p² for any φ; first layer by the inputs' E[x²]; biases 0",
        reference: "Koneputugodage et al., CVPR 2025", level: .tensorAndModel
    ) { spec in
        let sigmaP = spec.value("sigma-p") != nil ? try positive(spec, "sigma-p", default: 1) : nil
        let raw = spec.value("distribution") ?? "uniform"
        guard let family = VarianceScaling.DistributionFamily(rawValue: raw), family != .truncatedNormal else {
            throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "distribution must be uniform or normal, got '\(raw)'")
        }
        return .both(
            VarianceInformedInitializer(preactivationStandardDeviation: sigmaP, family: family),
            VarianceInformedRecipe(preactivationStandardDeviation: sigmaP, family: family))
    }
}
