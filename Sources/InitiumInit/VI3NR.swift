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
/// - the layer after the first (a deliberate refinement, without an encoding): gain =
///   σ_p/√E[φ(z₀)²] with the mean over the first layer's realized pre-activations z₀ = W₀x on those
///   inputs. With 2 or 3 coordinates z₀ is a sum of 2–3 products, far from the Gaussian the rule
///   assumes, and E[φ(z₀)²] differs from E[φ(σ_p Z)²] (by 15–20% for sine and tanh at ω·σ_p = 1,
///   docs/INR.md); every later layer sums hundreds of terms and is Gaussian enough;
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
        let encoded = model.namedModules.contains { $0.module is FourierFeatureEncoding }
        var log = InitializationLog()
        // E[φ(z)²] over the first layer's realized pre-activations, for the layer that reads them.
        var afterFirst: Double?
        for site in try ModelWalk.weightedLayers(of: model) {
            let first = site.roles.contains(.input)
            var layerGain = gain
            var name = "vi3nr"
            if first {
                let inputs = encoded ? nil : try Self.inputs(context)
                layerGain = sigmaP / (encoded ? 0.5 : try Self.meanSquare(inputs)).squareRoot()
                name = "vi3nr first layer"
            } else if let moment = afterFirst {
                layerGain = sigmaP / moment.squareRoot()
                name = "vi3nr after the first layer"
                afterFirst = nil
            }
            let rule = VarianceInformedInitializer(preactivationStandardDeviation: sigmaP, family: family, gain: layerGain)
            try site.initialize(with: rule, name: name, context: context, log: &log, extra: ["sigma_p": sigmaP, "gain": layerGain])
            if first, !encoded, let inputs = try Self.inputs(context), inputs.shape.last == site.layout.fanIn, site.layout.shape.count == 2 {
                let phi = try activation.apply(try Tensor.affine(inputs, weight: site.layer.weight.value, bias: nil))
                afterFirst = try Self.meanSquare(phi)
            }
        }
        return log
    }

    /// The network's inputs `[n, features]`: the batch, else the target's coordinates; `nil` when
    /// the context has neither.
    static func inputs(_ context: InitializationContext) throws -> Tensor? {
        guard let batch = context.batch else { return context.target?.coordinates() }
        guard batch.rank > 0, batch.shape[0] > 0 else { throw InitiumError.invalidArgument("vi3nr: the input batch is empty") }
        return batch.rank == 2 ? batch : try batch.reshaped([batch.shape[0], batch.count / batch.shape[0]])
    }

    /// The mean square of `values`, which must be positive and finite to scale a layer by.
    static func meanSquare(_ values: Tensor?) throws -> Double {
        guard let values else {
            throw InitiumError.invalidArgument(
                "vi3nr scales the first layer by its inputs' mean square; give it data (a batch) or the target signal")
        }
        let scalars = values.scalars
        let meanSquare = scalars.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(scalars.count, 1))
        guard meanSquare > 0, meanSquare.isFinite else {
            throw InitiumError.invalidArgument("vi3nr: the mean square of a layer's inputs is \(meanSquare); it cannot be scaled to σ_p")
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
        let sigmaP = spec.value("sigma-p").map { $0 != "balanced" } == true ? try positive(spec, "sigma-p", default: 1) : nil
        let raw = spec.value("distribution") ?? "uniform"
        guard let family = VarianceScaling.DistributionFamily(rawValue: raw), family != .truncatedNormal else {
            throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "distribution must be uniform or normal, got '\(raw)'")
        }
        return .both(
            VarianceInformedInitializer(preactivationStandardDeviation: sigmaP, family: family),
            VarianceInformedRecipe(preactivationStandardDeviation: sigmaP, family: family))
    }
}
