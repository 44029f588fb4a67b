import Foundation

/// The mean-field variance (length) map of a wide random network,
/// V(q) = σ_w² E[φ(√q Z)²] + σ_b²  (Poole et al., NeurIPS 2016; Schoenholz et al., ICLR 2017),
/// which sends the pre-activation variance of one layer to the next's for weights
/// W ~ N(0, σ_w²/fan_in) and biases b ~ N(0, σ_b²).
public struct VarianceMap: Sendable {
    /// The activation φ.
    public let activation: MeanFieldActivation
    /// σ_w², the weight variance times fan-in.
    public let weightVariance: Double
    /// σ_b², the bias variance.
    public let biasVariance: Double
    /// The quadrature used for every expectation.
    public let integrator: GaussianIntegrator

    /// Throws `negativeVariance` unless σ_w² and σ_b² are finite and non-negative.
    public init(
        activation: MeanFieldActivation, weightVariance: Double, biasVariance: Double,
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
    /// a = 1 and σ_b² = 0 (returned as q₀); otherwise q grows without bound.
    ///
    /// Otherwise Newton's method on h(q) = V(q) − q runs from q₀ on the side the iteration moves
    /// towards (up if V(q₀) > q₀, down to a bracket [0, q₀] if V(q₀) < q₀, as V(0) ≥ 0), keeping a
    /// sign-change bracket: a step that leaves it is replaced by bisection, or by multiplying q by 100
    /// while no upper end is known (so divergence to 1e12 is detected in six steps). It stops once a step is below 10ε q (ε the integrator's tolerance,
    /// 1e-10 by default), then takes that last step: Newton's quadratic convergence puts q* at
    /// quadrature accuracy, and V′ is reported from the last evaluation, within 10ε q of q*.
    /// If V(0) = 0 (σ_b² = 0, φ(0) = 0) and the iterates fall below 1e-12 q₀, the answer is q* = 0.
    ///
    /// Throws `noFixedPoint` when q grows past 1e12 (e.g. ReLU or SiLU with σ_w² > 2).
    public func fixedPoint(startingFrom q0: Double = 1) throws -> VarianceFixedPoint {
        try solveFixedPoint(startingFrom: q0, initialGuess: nil).fixedPoint
    }

    /// The Newton solver behind `fixedPoint`. After the side of q₀ is known, Newton continues from
    /// `initialGuess` if it lies inside the bracket (a warm start: the phase diagram passes the
    /// neighbouring grid point's q*), which changes the cost but not the answer when the fixed point
    /// on that side is unique. Also returns E[φ′(√q Z)²] from the last evaluation (within 10ε q of q*).
    func solveFixedPoint(
        startingFrom q0: Double, initialGuess: Double?
    ) throws -> (fixedPoint: VarianceFixedPoint, derivativeSecondMoment: Double) {
        guard q0.isFinite, q0 > 0 else {
            throw TheoryError.invalidParameter(name: "starting variance", value: q0, requirement: "finite and positive")
        }
        func evaluate(_ q: Double) throws -> (value: Double, slope: Double, derivativeMoment: Double) {
            let lanes = try activation.expectations(
                of: [.secondMoment, .secondMomentSlope, .derivativeSecondMoment], variance: q, integrator: integrator)
            return (weightVariance * lanes[0] + biasVariance, weightVariance * lanes[1], lanes[2])
        }
        if activation.isPositivelyHomogeneous {
            let point = try homogeneousFixedPoint(startingFrom: q0)
            return (point, try evaluate(max(point.value, MeanFieldActivation.smallestVariance)).derivativeMoment)
        }
        let phiAtZero = try activation.value(at: 0)
        let vanishesAtZero = biasVariance + weightVariance * phiAtZero * phiAtZero == 0
        // Newton's error after a step of size δ is O(δ²), so stopping at 10× the quadrature tolerance
        // and applying the step leaves q* limited by the quadrature alone.
        let stoppingStep = 10 * integrator.relativeTolerance
        var x = q0
        var (value, slope, moment) = try evaluate(x)
        if abs(value - x) <= 1e-15 * x { return (VarianceFixedPoint(value: x, slope: slope), moment) }
        // The bracket: h(lower) ≥ 0 ≥ h(upper); upper = nil while q is still being pushed up.
        var lower = 0.0
        var upper: Double?
        if value > x { lower = x } else { upper = x }
        if let guess = initialGuess, guess > lower, guess < (upper ?? .infinity), guess != x {
            x = guess
            (value, slope, moment) = try evaluate(x)
        }
        for _ in 0..<200 {
            let h = value - x
            let dh = slope - 1
            if h > 0 { lower = max(lower, x) } else { upper = min(upper ?? x, x) }
            var next = dh != 0 ? x - h / dh : .nan
            if let upper {
                if !(next > lower && next < upper) { next = 0.5 * (lower + upper) }
            } else if !(next > lower && next.isFinite) || next > 100 * x {
                next = 100 * max(x, lower)
            }
            guard next < 1e12 else {
                throw TheoryError.noFixedPoint(reason: "q grows without bound from q0 = \(formatNumber(q0)) "
                    + "under \(activation) with sigma_w2 = \(formatNumber(weightVariance)), "
                    + "sigma_b2 = \(formatNumber(biasVariance)); lower sigma_w2")
            }
            if vanishesAtZero, next < 1e-12 * q0 {
                let atZero = try evaluate(0)
                return (VarianceFixedPoint(value: 0, slope: atZero.slope), atZero.derivativeMoment)
            }
            let step = next - x
            x = next
            if abs(step) <= stoppingStep * x, upper != nil {
                return (VarianceFixedPoint(value: x, slope: slope), moment)
            }
            (value, slope, moment) = try evaluate(x)
        }
        throw TheoryError.noFixedPoint(reason: "Newton's method did not settle from q0 = \(formatNumber(q0)) "
            + "under \(activation) with sigma_w2 = \(formatNumber(weightVariance)), sigma_b2 = \(formatNumber(biasVariance))")
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
