/// A point on the edge of chaos: weight and bias variances with χ₁ = 1 at the variance fixed point.
public struct CriticalPoint: Sendable, Equatable {
    /// σ_w² at criticality.
    public let weightVariance: Double
    /// σ_b².
    public let biasVariance: Double
    /// q* at criticality; nil for scale-free activations (ReLU), where every q is a fixed point.
    public let fixedPointVariance: Double?
}

/// The edge of chaos χ₁ = σ_w² E[φ′(√q* Z)²] = 1 (Poole et al., NeurIPS 2016; Schoenholz et al.,
/// ICLR 2017), where correlations neither collapse nor decorrelate and gradients neither explode nor
/// vanish, so arbitrarily deep networks can be trained.
///
/// The curve is parametrised by q*: a point with fixed-point variance q has
/// σ_w²(q) = 1/E[φ′(√q Z)²] (criticality) and σ_b²(q) = q − E[φ(√q Z)²]/E[φ′(√q Z)²]
/// (the fixed-point equation), so finding σ_w² for a given σ_b² is one scalar root-find in q,
/// with no nested fixed-point iteration.
public enum EdgeOfChaos {
    /// The critical point whose fixed point is q: (σ_w²(q), σ_b²(q)). σ_b²(q) may be negative,
    /// meaning no real bias variance puts q on the edge of chaos.
    public static func parametricPoint(
        for activation: MeanFieldActivation, fixedPointVariance q: Double, integrator: GaussianIntegrator = GaussianIntegrator()
    ) throws -> (weightVariance: Double, biasVariance: Double) {
        try requirePointwise(activation)
        let lanes = try activation.expectations(
            of: [.secondMoment, .derivativeSecondMoment], variance: q, integrator: integrator)
        guard lanes[1] > 0 else {
            throw TheoryError.unsupported(
                "\(activation) has E[phi'(sqrt(q) z)^2] = 0 at q = \(formatNumber(q)), so no weight variance gives chi1 = 1")
        }
        return (1 / lanes[1], q - lanes[0] / lanes[1])
    }

    /// σ_w² (and q*) with χ₁ = 1 for bias variance σ_b².
    ///
    /// Scale-free activations (ReLU, leaky ReLU, identity) are handled exactly: σ_w² = 1/E[φ′(Z)²]
    /// (2 for ReLU, 2/(1 + slope²) for leaky ReLU) at σ_b² = 0 and no solution otherwise, since the
    /// map becomes q ↦ q + σ_b². Otherwise the smallest q* with σ_b²(q*) = σ_b² is found by scanning
    /// q = 10⁻⁶·2ᵏ for a sign change and refining with Brent's method. If σ_b² = 0 and φ(0) = 0 the
    /// answer is q* = 0, σ_w² = 1/φ′(0)² (tanh: σ_w² = 1).
    public static func criticalPoint(
        for activation: MeanFieldActivation, biasVariance: Double, integrator: GaussianIntegrator = GaussianIntegrator()
    ) throws -> CriticalPoint {
        try requirePointwise(activation)
        guard biasVariance.isFinite, biasVariance >= 0 else {
            throw TheoryError.negativeVariance(name: "sigma_b2", value: biasVariance)
        }
        if activation.isPositivelyHomogeneous {
            guard biasVariance == 0 else {
                throw TheoryError.noEdgeOfChaos(
                    activation: activation.description, biasVariance: biasVariance,
                    reason: "it is scale-free, so at chi1 = 1 the variance map is q -> q + sigma_b2 and grows "
                        + "without bound; its only critical point is sigma_b2 = 0")
            }
            let slopeMoment = try activation.expectation(of: .derivativeSecondMoment, variance: 1, integrator: integrator)
            return CriticalPoint(weightVariance: 1 / slopeMoment, biasVariance: 0, fixedPointVariance: nil)
        }
        if biasVariance == 0, try activation.value(at: 0) == 0 {
            let point = try parametricPoint(for: activation, fixedPointVariance: 0, integrator: integrator)
            return CriticalPoint(weightVariance: point.weightVariance, biasVariance: 0, fixedPointVariance: 0)
        }
        func excess(_ q: Double) throws -> Double {
            try parametricPoint(for: activation, fixedPointVariance: q, integrator: integrator).biasVariance - biasVariance
        }
        var lower = 0.0
        var upper = 1e-6
        while try excess(upper) < 0 {
            lower = upper
            upper *= 2
            guard upper < 1e8 else {
                throw TheoryError.noEdgeOfChaos(
                    activation: activation.description, biasVariance: biasVariance,
                    reason: "no fixed-point variance q* below 1e8 satisfies both chi1 = 1 and q* = V(q*)")
            }
        }
        let q = try RootFinding.brent(
            lower, upper, absoluteTolerance: 1e-15 * upper, solving: "sigma_b2(q) = \(formatNumber(biasVariance))", excess)
        let point = try parametricPoint(for: activation, fixedPointVariance: q, integrator: integrator)
        return CriticalPoint(weightVariance: point.weightVariance, biasVariance: biasVariance, fixedPointVariance: q)
    }

    /// The edge-of-chaos curve over the given bias variances, skipping any without a critical point.
    public static func curve(
        for activation: MeanFieldActivation, biasVariances: [Double], integrator: GaussianIntegrator = GaussianIntegrator()
    ) -> [CriticalPoint] {
        biasVariances.compactMap { try? criticalPoint(for: activation, biasVariance: $0, integrator: integrator) }
    }

    private static func requirePointwise(_ activation: MeanFieldActivation) throws {
        guard activation.isPointwise else {
            throw TheoryError.unsupported(
                "maxout has no edge of chaos in this model: its gradient reaches one piece, so chi1 = sigma_w2, "
                    + "while the forward map needs sigma_w2 = c(k) < 1; see `theory maxout`")
        }
    }
}
