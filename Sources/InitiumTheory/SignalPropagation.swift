/// The mean-field picture of signal propagation through a deep random network with activation φ,
/// weights W ~ N(0, σ_w²/fan_in) and biases b ~ N(0, σ_b²) (Poole et al., NeurIPS 2016;
/// Schoenholz et al., ICLR 2017): the variance fixed point q*, the correlation fixed point c*,
/// the slopes χ₁ and χ_c, and the depth scales over which the network forgets its input.
public struct SignalPropagation: Sendable {
    /// The variance fixed point q* and V′(q*).
    public let variance: VarianceFixedPoint
    /// χ₁ = σ_w² E[φ′(√q* Z)²]: < 1 ordered, > 1 chaotic, = 1 the edge of chaos. It is also the
    /// per-layer growth of the mean squared gradient.
    public let chi1: Double
    /// The correlation fixed point c* and χ_c = C′(c*).
    public let correlation: CorrelationFixedPoint

    /// The three regimes of χ₁.
    public enum Phase: String, Sendable {
        /// χ₁ < 1: inputs become perfectly correlated with depth; gradients vanish.
        case ordered
        /// χ₁ = 1 (within 1e-9): the edge of chaos.
        case critical
        /// χ₁ > 1: nearby inputs decorrelate with depth; gradients explode.
        case chaotic
    }

    /// The regime of χ₁, with 1e-9 slack for "critical" so that edge-of-chaos solutions classify as such.
    public var phase: Phase {
        if abs(chi1 - 1) <= 1e-9 { return .critical }
        return chi1 < 1 ? .ordered : .chaotic
    }

    /// ξ_q = −1/ln V′(q*).
    public var varianceDepthScale: Double { variance.depthScale }
    /// ξ_c = −1/ln χ_c, infinite at the edge of chaos.
    public var correlationDepthScale: Double { correlation.depthScale }
    /// 6 ξ_c: Schoenholz et al. (ICLR 2017) report that random networks train only up to depth
    /// L ≈ 6 ξ_c (recalled from the paper, not re-derived); a signal's input correlations survive
    /// about this many layers.
    public var trainableDepth: Double { 6 * correlation.depthScale }

    /// Analyses the network: q* from `startingVariance` (see `VarianceMap.fixedPoint`), χ₁ at q*,
    /// then c* (`CorrelationMap.fixedPoint`). At q* = 0 (e.g. tanh with σ_b² = 0 in the ordered
    /// phase) correlations are undefined and c* = 1, χ_c = χ₁ are reported.
    public init(
        activation: MeanFieldActivation, weightVariance: Double, biasVariance: Double, startingVariance: Double = 1,
        integrator: GaussianIntegrator = GaussianIntegrator()
    ) throws {
        let map = try VarianceMap(
            activation: activation, weightVariance: weightVariance, biasVariance: biasVariance, integrator: integrator)
        variance = try map.fixedPoint(startingFrom: startingVariance)
        chi1 = weightVariance
            * (try activation.expectation(of: .derivativeSecondMoment, variance: variance.value, integrator: integrator))
        if variance.value > 0 {
            correlation = try CorrelationMap(varianceMap: map, variance: variance.value).fixedPoint(chi1: chi1)
        } else {
            correlation = CorrelationFixedPoint(value: 1, slope: chi1)
        }
    }

    /// The second moments of two inputs' pre-activations in one layer: variances q₁, q₂ and correlation c.
    public struct Kernel: Sendable, Equatable {
        /// Variance of the first input's pre-activations.
        public var q1: Double
        /// Variance of the second input's pre-activations.
        public var q2: Double
        /// Correlation between the two inputs' pre-activations.
        public var c: Double

        /// A kernel with the given variances and correlation.
        public init(q1: Double, q2: Double, c: Double) {
            self.q1 = q1
            self.q2 = q2
            self.c = c
        }
    }

    /// The layer-by-layer prediction for two inputs, starting from the first layer's kernel:
    /// q_{l+1} = V(q_l) for each input and
    /// c_{l+1} = [σ_w² E[φ(U₁)φ(U₂)] + σ_b²]/√(q₁' q₂') with (U₁, U₂) ~ N(0, [[q₁, c√(q₁q₂)], [·, q₂]]).
    /// This is what a width-N simulation is compared with, layer by layer.
    public static func trajectory(
        activation: MeanFieldActivation, weightVariance: Double, biasVariance: Double, from initial: Kernel, layers: Int,
        integrator: GaussianIntegrator = GaussianIntegrator()
    ) throws -> [Kernel] {
        let map = try VarianceMap(
            activation: activation, weightVariance: weightVariance, biasVariance: biasVariance, integrator: integrator)
        var kernels = [initial]
        for _ in 0..<max(0, layers) {
            let current = kernels[kernels.count - 1]
            let q1 = try map(current.q1)
            let q2 = try map(current.q2)
            let cross = try activation.crossExpectation(
                variances: current.q1, current.q2, correlation: current.c, integrator: integrator)
            let c = min(1, max(-1, (weightVariance * cross + biasVariance) / (q1 * q2).squareRoot()))
            kernels.append(Kernel(q1: q1, q2: q2, c: c))
        }
        return kernels
    }
}
