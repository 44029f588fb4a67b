import Foundation

/// Maxout units (Goodfellow et al., ICML 2013): the output is the maximum of k pre-activations,
/// each N(0, q) and independent at initialization, so its moments are those of the largest of k
/// standard normals scaled by √q.
///
/// Tseran & Montúfar ("On the Expected Complexity of Maxout Networks" / expected gradients, ICLR 2023)
/// initialise maxout layers with W ~ N(0, c/fan_in), c = 1/E[(max of k standard normals)²], which
/// keeps E[q] constant through depth: c(2) = 1, c(3) = 2π/(√3 + 2π), c(4) = π/(√3 + π).
public enum Maxout {
    /// E[Mᵖ] for M the maximum of k independent standard normals, whose density is
    /// k ϕ(x) Φ(x)^{k−1}: the expectation over Z ~ N(0, 1) of k Zᵖ Φ(Z)^{k−1}, with Φ^{k−1} formed
    /// as exp((k − 1) log Φ) to stay accurate for large k.
    public static func orderStatisticMoment(
        power p: Int, pieces k: Int, integrator: GaussianIntegrator
    ) throws -> Double {
        guard k >= 1 else {
            throw TheoryError.invalidParameter(name: "k", value: Double(k), requirement: "an integer of at least 1")
        }
        guard p >= 0 else {
            throw TheoryError.invalidParameter(name: "power", value: Double(p), requirement: "a non-negative integer")
        }
        if k == 1 {
            // Moments of a standard normal: (p − 1)!! for even p, 0 for odd p.
            guard p % 2 == 0 else { return 0 }
            return stride(from: p - 1, to: 0, by: -2).reduce(1.0) { $0 * Double($1) }
        }
        let exponent = Double(k - 1)
        return try integrator.expectation { z in
            Double(k) * integerPower(z, p) * exp(exponent * StandardNormal.logCDF(z))
        }.value
    }

    /// E[M²], the second moment of the largest of k standard normals (1, 1, 1 + √3/(2π), 1 + √3/π, …).
    public static func secondMoment(pieces k: Int, integrator: GaussianIntegrator) throws -> Double {
        try orderStatisticMoment(power: 2, pieces: k, integrator: integrator)
    }

    /// c(k) = 1/E[M²]: the weight-variance factor (W ~ N(0, c/fan_in)) that preserves the
    /// second moment through a maxout layer (Tseran & Montúfar, ICLR 2023).
    public static func weightVarianceFactor(pieces k: Int, integrator: GaussianIntegrator) throws -> Double {
        1 / (try secondMoment(pieces: k, integrator: integrator))
    }

    /// A `GaussianQuantity` for maxout at pre-activation variance q, from the order statistics:
    /// E[φ] = √q E[M], E[φ²] = q E[M²], E[φ⁴] = q² E[M⁴], d/dq E[φ²] = E[M²], d²/dq² E[φ²] = 0, and
    /// Σⱼ E[∂φ/∂uⱼ] = Σⱼ E[(∂φ/∂uⱼ)²] = 1 (the gradient reaches exactly one of the k pieces).
    static func expectation(
        of quantity: GaussianQuantity, pieces k: Int, variance q: Double, integrator: GaussianIntegrator
    ) throws -> Double {
        switch quantity {
        case .mean: return q.squareRoot() * (try orderStatisticMoment(power: 1, pieces: k, integrator: integrator))
        case .secondMoment: return q * (try secondMoment(pieces: k, integrator: integrator))
        case .derivativeMean, .derivativeSecondMoment: return 1
        case .secondMomentSlope: return try secondMoment(pieces: k, integrator: integrator)
        case .secondMomentCurvature: return 0
        case .fourthMoment: return q * q * (try orderStatisticMoment(power: 4, pieces: k, integrator: integrator))
        }
    }
}
