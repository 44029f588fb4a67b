import InitiumCore
import InitiumNN
import InitiumTheory

/// The mean-field quantities initializers take from InitiumTheory, in terms of the engine's
/// ``InitiumNN/Activation``. The only file of InitiumInit that imports InitiumTheory; the theory's
/// φ is `MeanFieldActivation(activation.spec)`, built from the same parsed spec as the engine's.
enum TheoryBridge {
    /// One integrator for every computation here (its Gauss–Hermite rules are built once).
    private static let integrator = GaussianIntegrator()

    /// The forward second-moment gain 1/√E[φ(Z)²], Z ~ N(0, 1).
    static func forwardGain(_ activation: InitiumNN.Activation) throws -> Double {
        let phi = MeanFieldActivation(activation.spec)
        return try translate { try Gains(activation: phi, integrator: integrator).forward }
    }

    /// σ_w² and σ_b² on the edge of chaos for bias variance σ_b² (χ₁ = 1 at the fixed point q*).
    static func criticalPoint(_ activation: InitiumNN.Activation, biasVariance: Double) throws -> (weightVariance: Double, biasVariance: Double, fixedPoint: Double?) {
        let phi = MeanFieldActivation(activation.spec)
        let point = try translate { try EdgeOfChaos.criticalPoint(for: phi, biasVariance: biasVariance, integrator: integrator) }
        return (point.weightVariance, point.biasVariance, point.fixedPointVariance)
    }

    /// VI3NR's target pre-activation standard deviation σ_p (`sigmaP`, or when `nil` the one
    /// solving the backward condition σ_p² E[φ′(σ_p Z)²]/E[φ(σ_p Z)²] = 1, InitiumTheory's
    /// `VarianceInformed.balancedStandardDeviation`) and its forward gain σ_p/√E[φ(σ_p Z)²].
    static func varianceInformed(_ activation: InitiumNN.Activation, preactivationStandardDeviation sigmaP: Double?) throws
        -> (preactivationStandardDeviation: Double, gain: Double) {
        let phi = MeanFieldActivation(activation.spec)
        return try translate {
            let sigma = try sigmaP ?? VarianceInformed.balancedStandardDeviation(activation: phi, integrator: integrator)
            let gains = try Gains(activation: phi, preactivationStandardDeviation: sigma, integrator: integrator)
            return (sigma, gains.forward)
        }
    }

    /// Whether φ is positively homogeneous (ReLU-like), so its only critical bias variance is 0.
    static func isScaleFree(_ activation: InitiumNN.Activation) -> Bool {
        MeanFieldActivation(activation.spec).isPositivelyHomogeneous
    }

    /// c(k) = 1/E[(max of k standard normals)²] (Tseran & Montúfar, ICLR 2023).
    static func maxoutFactor(pieces k: Int) throws -> Double {
        try translate { try Maxout.weightVarianceFactor(pieces: k, integrator: integrator) }
    }

    /// Runs a theory computation, turning its errors into ``InitiumError/invalidArgument(_:)``
    /// (they are all caused by parameters a user chose).
    private static func translate<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TheoryError {
            throw InitiumError.invalidArgument(error.description)
        }
    }
}
