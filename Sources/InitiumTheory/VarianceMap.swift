import Foundation

/// The mean-field variance (length) map of a wide random network,
/// V(q) = σ_w² E[φ(√q Z)²] + σ_b²  (Poole et al., NeurIPS 2016; Schoenholz et al., ICLR 2017),
/// which sends the pre-activation variance of one layer to the next's for weights
/// W ~ N(0, σ_w²/fan_in) and biases b ~ N(0, σ_b²).
public struct VarianceMap: Sendable {
    /// The activation φ.
    public let activation: Activation
    /// σ_w², the weight variance times fan-in.
    public let weightVariance: Double
    /// σ_b², the bias variance.
    public let biasVariance: Double
    /// The quadrature used for every expectation.
    public let integrator: GaussianIntegrator

    /// Throws `negativeVariance` unless σ_w² and σ_b² are finite and non-negative.
    public init(
        activation: Activation, weightVariance: Double, biasVariance: Double,
        integrator: GaussianIntegrator = GaussianIntegrator()
    ) throws {
        guard weightVariance.isFinite, weightVariance >= 0 else {
            throw TheoryError.negativeVariance(name: "sigma_w2", value: weightVariance)
        }
        guard biasVariance.isFinite, biasVariance >= 0 else {
            throw TheoryError.negativeVariance(name: "sigma_b2", value: biasVariance)
        }
        self.activation = activation
        self.weightVariance = weightVariance
        self.biasVariance = biasVariance
        self.integrator = integrator
    }

    /// V(q) = σ_w² E[φ(√q Z)²] + σ_b².
    public func callAsFunction(_ q: Double) throws -> Double {
        weightVariance * (try activation.expectation(of: .secondMoment, variance: q, integrator: integrator))
            + biasVariance
    }

    /// V′(q) = σ_w² E[φ(√q Z)²(Z² − 1)]/(2q) = σ_w² E[φ′² + φφ″]: the factor by which a small
    /// deviation from q is multiplied per layer.
    public func slope(at q: Double) throws -> Double {
        weightVariance * (try activation.expectation(of: .secondMomentSlope, variance: q, integrator: integrator))
    }

    /// V″(q) = σ_w² E[φ(√q Z)² He₄(Z)]/(4q²): positive when the map bends away from the diagonal
    /// above a fixed point (the instability of Price et al., ICLR 2024). Loses accuracy as q → 0.
    public func curvature(at q: Double) throws -> Double {
        weightVariance * (try activation.expectation(of: .secondMomentCurvature, variance: q, integrator: integrator))
    }

    /// V(q) and V′(q) from one pass of quadrature.
    func valueAndSlope(at q: Double) throws -> (value: Double, slope: Double) {
        let lanes = try activation.expectations(
            of: [.secondMoment, .secondMomentSlope], variance: q, integrator: integrator)
        return (weightVariance * lanes[0] + biasVariance, weightVariance * lanes[1])
    }

    /// q₀, V(q₀), V(V(q₀)), … : the predicted variance of each of `layers` + 1 layers.
    public func trajectory(from q0: Double, layers: Int) throws -> [Double] {
        var values = [q0]
        for _ in 0..<max(0, layers) { values.append(try self(values[values.count - 1])) }
        return values
    }

    /// The fixed point q* = V(q*) reached by iterating the map from q₀, with its slope V′(q*).
    ///
    /// For positively homogeneous φ (ReLU-like) the map is linear, V(q) = a q + σ_b² with
    /// a = σ_w² E[φ(Z)²], and is solved exactly: q* = σ_b²/(1 − a) if a < 1; every q is fixed if
    /// a = 1 and σ_b² = 0 (returned as q₀); otherwise q grows without bound. In general the
    /// bracket [q₀, 2q₀, 4q₀, …] (if V(q₀) > q₀) or [q₀/2, q₀/4, …, 0] (if V(q₀) < q₀) is searched
    /// for the first sign change of V(q) − q, the fixed point on the side the iteration moves
    /// towards, and polished by safeguarded Newton using V′.
    ///
    /// Throws `noFixedPoint` when q grows past 1e15 (e.g. ReLU with σ_w² > 2).
    public func fixedPoint(startingFrom q0: Double = 1) throws -> VarianceFixedPoint {
        guard q0.isFinite, q0 > 0 else {
            throw TheoryError.invalidParameter(name: "starting variance", value: q0, requirement: "finite and positive")
        }
        if activation.isPositivelyHomogeneous { return try homogeneousFixedPoint(startingFrom: q0) }
        let start = try valueAndSlope(at: q0)
        let gap = start.value - q0
        if abs(gap) <= 1e-15 * q0 { return VarianceFixedPoint(value: q0, slope: start.slope) }
        var inner = q0
        var outer = q0
        if gap > 0 {
            var previous = q0
            var candidate = 2 * q0
            while try self(candidate) - candidate > 0 {
                previous = candidate
                candidate *= 2
                guard candidate < 1e15 else {
                    throw TheoryError.noFixedPoint(reason: "q grows without bound from q0 = \(formatNumber(q0)) "
                        + "under \(activation) with sigma_w2 = \(formatNumber(weightVariance)), "
                        + "sigma_b2 = \(formatNumber(biasVariance)); lower sigma_w2")
                }
            }
            (inner, outer) = (previous, candidate)
        } else {
            var previous = q0
            var candidate = q0 / 2
            while try self(candidate) - candidate < 0 {
                previous = candidate
                candidate /= 2
                if candidate < 1e-12 * q0 {
                    // V(q) < q all the way down: the attracting fixed point is q* = 0 if V(0) = 0,
                    // i.e. σ_b² = 0 and φ(0) = 0 (maxout, being scale-free, never gets here).
                    let phiAtZero = activation.isPointwise ? try activation.value(at: 0) : 0
                    if biasVariance + weightVariance * phiAtZero * phiAtZero == 0 {
                        return VarianceFixedPoint(value: 0, slope: try slope(at: 0))
                    }
                    candidate = 0
                    break
                }
            }
            (inner, outer) = (candidate, previous)
        }
        let root = try RootFinding.safeguardedNewton(inner, outer, start: 0.5 * (inner + outer)) { q in
            let (value, slope) = try valueAndSlope(at: q)
            return (value - q, slope - 1)
        }
        return VarianceFixedPoint(value: root, slope: try slope(at: root))
    }

    private func homogeneousFixedPoint(startingFrom q0: Double) throws -> VarianceFixedPoint {
        let gain = weightVariance * (try activation.expectation(of: .secondMoment, variance: 1, integrator: integrator))
        if abs(gain - 1) <= 1e-12 && biasVariance == 0 {
            return VarianceFixedPoint(value: q0, slope: gain)
        }
        guard gain < 1 else {
            throw TheoryError.noFixedPoint(reason: "\(activation) is scale-free, so V(q) = "
                + "\(formatNumber(gain))·q + \(formatNumber(biasVariance)) grows without bound; "
                + "use sigma_w2 < \(formatNumber(weightVariance / gain))")
        }
        return VarianceFixedPoint(value: biasVariance / (1 - gain), slope: gain)
    }
}

/// A fixed point q* = V(q*) of the variance map.
public struct VarianceFixedPoint: Sendable, Equatable {
    /// q*, the pre-activation variance deep layers settle to.
    public let value: Double
    /// V′(q*): deviations from q* shrink by this factor per layer when |V′(q*)| < 1.
    public let slope: Double

    /// Whether small deviations decay, |V′(q*)| < 1.
    public var isStable: Bool { abs(slope) < 1 }

    /// ξ_q = −1/ln|V′(q*)|, the depth over which deviations from q* decay by e (Schoenholz et al. 2017);
    /// +∞ at |V′| = 1, negative when deviations grow.
    public var depthScale: Double { depthScaleFromRate(abs(slope)) }
}

/// −1/ln r, with +∞ at r = 1 (where ln r = 0 and −1/0 would round to −∞).
func depthScaleFromRate(_ rate: Double) -> Double {
    let logarithm = rate.isFinite && rate > 0 ? log(rate) : (rate == 0 ? -Double.infinity : Double.nan)
    if logarithm == 0 { return .infinity }
    return -1 / logarithm
}
