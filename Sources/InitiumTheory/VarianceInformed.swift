import Foundation

/// VI3NR, variance-informed initialization for implicit neural representations
/// (Koneputugodage, Ben-Shabat, Ramasinghe, Gould, CVPR 2025).
///
/// The forward rule is `Gains.forward` at the target pre-activation standard deviation σ_p:
/// W ~ N(0, gain²/fan_in) with gain = σ_p/√E[φ(σ_p Z)²] keeps every layer's pre-activations at
/// variance σ_p². The backward rule asks the gradient variance to be preserved as well; for square
/// layers this is cond(σ_p) = σ_p² E[φ′(σ_p Z)²]/E[φ(σ_p Z)²] = 1. The authors find σ_p by a grid
/// search of |cond − 1| (their repository's `toy_experiments_all.py`); here the expectations are
/// quadratures instead of their 10⁶-sample Monte Carlo.
public enum VarianceInformed {
    /// cond(σ_p) = σ_p² E[φ′(σ_p Z)²]/E[φ(σ_p Z)²]; 1 means forward and backward are both preserved.
    public static func balanceCondition(
        activation: MeanFieldActivation, preactivationStandardDeviation sigmaP: Double,
        integrator: GaussianIntegrator = GaussianIntegrator()
    ) throws -> Double {
        let gains = try Gains(activation: activation, preactivationStandardDeviation: sigmaP, integrator: integrator)
        // forward = σ_p/√E[φ²], backward = 1/√E[φ′²], so cond = (forward/backward)².
        let ratio = gains.forward / gains.backward
        return ratio * ratio
    }

    /// |cond − 1| below which a sign change of the balance condition is rounding noise.
    static let rootNoise = 1e-8

    /// The smallest σ_p in `range` with cond(σ_p) = 1: a 200-point logarithmic grid locates the first
    /// sign change of cond − 1 and Brent's method refines it. Without a sign change (cond ≡ 1 for
    /// ReLU, or cond never reaching 1) the grid point minimising |cond − 1| is returned, as in the
    /// authors' grid search.
    public static func balancedStandardDeviation(
        activation: MeanFieldActivation, in range: ClosedRange<Double> = 0.001...10,
        integrator: GaussianIntegrator = GaussianIntegrator()
    ) throws -> Double {
        guard range.lowerBound > 0, range.upperBound.isFinite else {
            throw TheoryError.invalidParameter(
                name: "sigma_p range", value: range.lowerBound, requirement: "a finite range of positive numbers")
        }
        let count = 200
        let ratio = range.upperBound / range.lowerBound
        let grid = (0..<count).map { range.lowerBound * pow(ratio, Double($0) / Double(count - 1)) }
        func excess(_ sigma: Double) throws -> Double {
            try balanceCondition(activation: activation, preactivationStandardDeviation: sigma, integrator: integrator) - 1
        }
        var best = (sigma: grid[0], error: Double.infinity)
        var previous: (sigma: Double, value: Double)?
        for sigma in grid {
            let value = try excess(sigma)
            // Values within rounding noise of the best so far tie, and ties keep the smallest σ_p.
            if abs(value) < best.error - Self.rootNoise { best = (sigma, abs(value)) }
            // A sign change between two values within rounding of 0 (cond − 1 ~ 1e-12 where cond → 1
            // as σ_p → 0) is noise, not a root.
            if let previous, (previous.value > 0) != (value > 0), previous.value != 0,
                max(abs(previous.value), abs(value)) > Self.rootNoise {
                return try RootFinding.brent(
                    previous.sigma, sigma, absoluteTolerance: 1e-14 * sigma, solving: "cond(sigma_p) = 1", excess)
            }
            previous = (sigma, value)
        }
        return best.sigma
    }
}
