/// The exact gains of an activation at pre-activation standard deviation σ_p (1 by default): the
/// factors g in W ~ N(0, g²/fan_in) that preserve a second-order statistic through one layer.
///
/// - forward:  g = σ_p/√E[φ(σ_p Z)²] keeps E[x²] (He et al., ICCV 2015, generalised to any φ;
///   VI3NR's gain, Koneputugodage et al., CVPR 2025): √2 for ReLU.
/// - variance: g = σ_p/√Var φ(σ_p Z) keeps the variance rather than the second moment (the two
///   differ when E[φ] ≠ 0, e.g. sigmoid).
/// - backward: g = 1/√E[φ′(σ_p Z)²] keeps the gradient's second moment (χ₁ = 1 at that variance).
///
/// These replace the tabulated gains of PyTorch's `calculate_gain` (tanh 5/3, SELU 3/4) with
/// values computed for the actual activation and its parameters; [init]'s `gain=exact` uses them.
public struct Gains: Sendable, Equatable {
    /// σ_p/√E[φ(σ_p Z)²].
    public let forward: Double
    /// σ_p/√Var φ(σ_p Z).
    public let variance: Double
    /// 1/√E[φ′(σ_p Z)²].
    public let backward: Double

    /// The gains of `activation` at pre-activation standard deviation σ_p > 0.
    public init(
        activation: MeanFieldActivation, preactivationStandardDeviation sigmaP: Double = 1,
        integrator: GaussianIntegrator = GaussianIntegrator()
    ) throws {
        guard sigmaP.isFinite, sigmaP > 0 else {
            throw TheoryError.invalidParameter(name: "sigma_p", value: sigmaP, requirement: "finite and positive")
        }
        let lanes = try activation.expectations(
            of: [.mean, .secondMoment, .derivativeSecondMoment], variance: sigmaP * sigmaP, integrator: integrator)
        let (mean, second, slope) = (lanes[0], lanes[1], lanes[2])
        let variance = second - mean * mean
        guard second > 0, variance > 0, slope > 0 else {
            throw TheoryError.unsupported("\(activation) is constant under N(0, \(formatNumber(sigmaP * sigmaP))), so no gain exists")
        }
        forward = sigmaP / second.squareRoot()
        self.variance = sigmaP / variance.squareRoot()
        backward = 1 / slope.squareRoot()
    }

    /// The gain g that makes q = 1 a fixed point of the variance map with bias variance σ_b²:
    /// g² E[φ(Z)²] + σ_b² = 1, so g = √((1 − σ_b²)/E[φ(Z)²]). Equals `forward` at σ_b² = 0.
    public static func fixedPointGain(
        activation: MeanFieldActivation, biasVariance: Double = 0, integrator: GaussianIntegrator = GaussianIntegrator()
    ) throws -> Double {
        guard biasVariance.isFinite, biasVariance >= 0 else {
            throw TheoryError.negativeVariance(name: "sigma_b2", value: biasVariance)
        }
        guard biasVariance < 1 else {
            throw TheoryError.invalidParameter(
                name: "sigma_b2", value: biasVariance, requirement: "below 1 for q = 1 to be a fixed point")
        }
        let second = try activation.expectation(of: .secondMoment, variance: 1, integrator: integrator)
        return ((1 - biasVariance) / second).squareRoot()
    }
}
