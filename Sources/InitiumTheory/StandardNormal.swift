import Foundation

/// The standard normal distribution N(0, 1) to full double precision: density ϕ, distribution
/// function Φ, its complement Q = 1 − Φ, the quantile Φ⁻¹, and the truncated moments
/// ∫ₐᵇ zʲ ϕ(z) dz that give closed forms for piecewise-linear activations.
public enum StandardNormal {
    /// 1/√(2π).
    static let inverseSqrtTwoPi = 0.398_942_280_401_432_677_94

    /// ϕ(x) = exp(−x²/2)/√(2π).
    public static func density(_ x: Double) -> Double {
        exp(-0.5 * x * x) * inverseSqrtTwoPi
    }

    /// Φ(x) = P(Z ≤ x) = erfc(−x/√2)/2, accurate in the lower tail.
    public static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// Q(x) = P(Z > x) = erfc(x/√2)/2, accurate in the upper tail.
    public static func survival(_ x: Double) -> Double {
        0.5 * erfc(x / 2.0.squareRoot())
    }

    /// P(a < Z < b) without the cancellation of Φ(b) − Φ(a) when both lie in the same tail.
    public static func probability(from a: Double, to b: Double) -> Double {
        guard a < b else { return 0 }
        if a >= 0 { return survival(a) - survival(b) }
        if b <= 0 { return cdf(b) - cdf(a) }
        return 1 - survival(b) - cdf(a)
    }

    /// log Φ(x), accurate in both tails.
    public static func logCDF(_ x: Double) -> Double {
        x < 0 ? log(cdf(x)) : log1p(-survival(x))
    }

    /// The quantile Φ⁻¹(p) for p in (0, 1).
    ///
    /// Starts from the Abramowitz–Stegun 26.2.23 rational approximation (|error| < 4.5e-4) and
    /// polishes with Newton steps on log Φ, which converge to full precision in a few steps
    /// even deep in the tail. Uses the symmetry Φ⁻¹(p) = −Φ⁻¹(1 − p) above 1/2, where 1 − p is exact.
    public static func quantile(_ p: Double) throws -> Double {
        guard p > 0, p < 1 else {
            throw TheoryError.invalidParameter(name: "probability", value: p, requirement: "in (0, 1)")
        }
        if p > 0.5 { return -(try quantile(1 - p)) }
        if p == 0.5 { return 0 }
        let t = (-2 * log(p)).squareRoot()
        let numerator = 2.515_517 + t * (0.802_853 + t * 0.010_328)
        let denominator = 1 + t * (1.432_788 + t * (0.189_269 + t * 0.001_308))
        var x = -(t - numerator / denominator)
        let target = log(p)
        for _ in 0..<8 {
            let logPhi = logCDF(x)
            // d/dx log Φ(x) = ϕ(x)/Φ(x)
            let step = (logPhi - target) / exp(log(density(x)) - logPhi)
            x -= step
            if abs(step) <= 1e-15 * max(1, abs(x)) { break }
        }
        return x
    }

    /// The truncated moments M_j = ∫ₐᵇ zʲ ϕ(z) dz for j = 0…maxOrder (a < b, either may be infinite).
    ///
    /// Integration by parts gives M_j = (j − 1) M_{j−2} + a^{j−1}ϕ(a) − b^{j−1}ϕ(b), with
    /// M_0 = Φ(b) − Φ(a) and M_1 = ϕ(a) − ϕ(b). Endpoints beyond |z| = 38 contribute a boundary
    /// term below 1e-300 and are treated as infinite, which also avoids ∞·0.
    public static func truncatedMoments(from a: Double, to b: Double, maxOrder: Int) -> [Double] {
        var moments = [Double](repeating: 0, count: maxOrder + 1)
        guard a < b else { return moments }
        func boundary(_ x: Double, _ power: Int) -> Double {
            guard abs(x) < 38 else { return 0 }
            var value = density(x)
            for _ in 0..<power { value *= x }
            return value
        }
        moments[0] = probability(from: a, to: b)
        if maxOrder >= 1 { moments[1] = boundary(a, 0) - boundary(b, 0) }
        if maxOrder >= 2 {
            for j in 2...maxOrder {
                moments[j] = Double(j - 1) * moments[j - 2] + boundary(a, j - 1) - boundary(b, j - 1)
            }
        }
        return moments
    }
}
