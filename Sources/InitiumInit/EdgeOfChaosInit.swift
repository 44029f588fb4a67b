import InitiumCore
import InitiumNN

/// Critical initialization on the edge of chaos (Poole et al., NeurIPS 2016; Schoenholz et al.,
/// "Deep Information Propagation", ICLR 2017): W ~ N(0, σ_w²/fan_in), b ~ N(0, σ_b²) with σ_w²
/// chosen so that χ₁ = σ_w² E[φ′(√q* Z)²] = 1 at the fixed point q* = σ_w² E[φ(√q* Z)²] + σ_b²
/// of the variance map, for the network's activation φ (InitiumTheory's `EdgeOfChaos`; the
/// same numbers `initium theory eoc` prints).
///
/// Scale-free activations (ReLU, leaky ReLU, identity) have a single critical point, σ_b² = 0
/// with σ_w² = 1/E[φ′(Z)²] (2 for ReLU); when `sigma-b2` is not given they use it, and giving a
/// positive `sigma-b2` for them is an error.
struct EdgeOfChaosInitializer: TensorInitializer {
    let biasVariance: Double?

    func point(_ context: InitializationContext) throws -> (weightVariance: Double, biasVariance: Double) {
        let activation = try context.requireActivation(for: "eoc")
        let sb2 = biasVariance ?? (TheoryBridge.isScaleFree(activation) ? 0 : 0.05)
        let p = try TheoryBridge.criticalPoint(activation, biasVariance: sb2)
        return (p.weightVariance, p.biasVariance)
    }

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        try VarianceScaling(scale: try point(context).weightVariance, mode: .fanIn, family: .normal).sample(layout, key: key)
    }

    func bias(count: Int, for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor? {
        let sb2 = try point(context).biasVariance
        guard sb2 > 0 else { return nil }
        return try Tensor.normal([count], std: Float(sb2.squareRoot()), key: key)
    }
}

extension SchemeCatalog {
    static let edgeOfChaosEntry = Entry(
        name: "eoc",
        parameters: [ParameterInfo(name: "sigma-b2", defaultValue: "0.05", summary: "bias variance σ_b² (default 0 for scale-free activations such as ReLU)")],
        summary: "W ~ N(0, σ_w²/fan_in), b ~ N(0, σ_b²) with χ₁ = 1 for the network's activation",
        reference: "Poole et al., NeurIPS 2016; Schoenholz et al., ICLR 2017"
    ) { spec in
        var sb2: Double?
        if spec.value("sigma-b2") != nil { sb2 = try nonNegative(spec, "sigma-b2", default: 0.05) }
        return .tensor(EdgeOfChaosInitializer(biasVariance: sb2))
    }
}
