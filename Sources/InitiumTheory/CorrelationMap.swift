/// The mean-field correlation map at the variance fixed point q*,
/// C(c) = [σ_w² E[φ(U₁)φ(U₂)] + σ_b²]/q*, with (U₁, U₂) centred Gaussian, variances q*,
/// correlation c (Poole et al., NeurIPS 2016). It sends the correlation between two inputs'
/// pre-activations in one layer to the next; C(1) = 1 always.
///
/// Its slope is χ_c(c) = σ_w² E[φ′(U₁)φ′(U₂)], and χ_c(1) = χ₁ = σ_w² E[φ′(√q* Z)²]. By Mehler's
/// expansion E[φ(U₁)φ(U₂)] = Σₙ aₙ² cⁿ with aₙ ≥ 0-weighted squares, so C is increasing and convex
/// on [0, 1]: if χ₁ ≤ 1 the only attractor is c* = 1 (ordered), and if χ₁ > 1 there is exactly one
/// c* in [0, 1) (chaotic).
public struct CorrelationMap: Sendable {
    /// The variance map whose fixed point the correlation map lives at.
    public let varianceMap: VarianceMap
    /// q*, the common pre-activation variance of both inputs.
    public let variance: Double

    /// The correlation map of `varianceMap` at variance q (normally its fixed point q* > 0).
    public init(varianceMap: VarianceMap, variance q: Double) throws {
        guard q.isFinite, q > 0 else {
            throw TheoryError.invalidParameter(
                name: "q_star", value: q, requirement: "positive (the correlation map is undefined at q* = 0)")
        }
        self.varianceMap = varianceMap
        self.variance = q
    }

    /// C(c) = [σ_w² E[φ(U₁)φ(U₂)] + σ_b²]/q*.
    public func callAsFunction(_ c: Double) throws -> Double {
        let cross = try varianceMap.activation.crossExpectation(
            variances: variance, variance, correlation: c, integrator: varianceMap.integrator)
        return (varianceMap.weightVariance * cross + varianceMap.biasVariance) / variance
    }

    /// χ_c(c) = C′(c) = σ_w² E[φ′(U₁)φ′(U₂)].
    public func slope(at c: Double) throws -> Double {
        varianceMap.weightVariance * (try varianceMap.activation.crossExpectation(
            derivative: true, variances: variance, variance, correlation: c, integrator: varianceMap.integrator))
    }

    /// C(c) and C′(c) = χ_c(c) from one pass of quadrature.
    func valueAndSlope(at c: Double) throws -> (value: Double, slope: Double) {
        let both = try varianceMap.activation.crossExpectations(
            variances: variance, variance, correlation: c, integrator: varianceMap.integrator)
        return (
            (varianceMap.weightVariance * both.value + varianceMap.biasVariance) / variance,
            varianceMap.weightVariance * both.derivative
        )
    }

    /// The attracting fixed point c* in [0, 1] and the slope χ_c there, given χ₁ = C′(1).
    ///
    /// χ₁ ≤ 1: c* = 1 and χ_c = χ₁. χ₁ > 1: g(c) = C(c) − c is convex with g(0) ≥ 0, g(1) = 0 and
    /// g′(1) = χ₁ − 1 > 0, so it has one root c* in [0, 1) and g′ < 0 on [0, c*]. C(0) =
    /// (σ_w² E[φ]² + σ_b²)/q*, C′(0) = σ_w² E[φ′]², C(1) = 1 and C′(1) = χ₁ are all 1-D integrals;
    /// the root of their cubic Hermite interpolant is the first guess. From a guess left of c*,
    /// Newton's method climbs monotonically to c* without overshooting (convexity); from one right of
    /// it, Newton continues inside the bracket [0, guess], bisecting when a step leaves it.
    public func fixedPoint(chi1: Double) throws -> CorrelationFixedPoint {
        if chi1 <= 1 { return CorrelationFixedPoint(value: 1, slope: chi1) }
        let map = varianceMap
        let means = try map.activation.expectations(
            of: [.mean, .derivativeMean], variance: variance, integrator: map.integrator)
        let valueAtZero = (map.weightVariance * means[0] * means[0] + map.biasVariance) / variance
        let slopeAtZero = map.weightVariance * means[1] * means[1]
        if valueAtZero <= 1e-15 { return CorrelationFixedPoint(value: 0, slope: slopeAtZero) }
        var c = Self.hermiteGuess(value0: valueAtZero, slope0: slopeAtZero, slope1: chi1)
        var (value, slope) = try valueAndSlope(at: c)
        if value - c < 0 {
            // Right of c*: g(0) > 0 > g(c) brackets the root.
            let root = try RootFinding.safeguardedNewton(0, c, start: c, relativeTolerance: 1e-10) { x in
                (value, slope) = try valueAndSlope(at: x)
                return (value - x, slope - 1)
            }
            return CorrelationFixedPoint(value: root, slope: slope)
        }
        for _ in 0..<60 {
            guard slope < 1 else { return try bracketedFixedPoint(chi1: chi1, from: c) }
            let step = (value - c) / (1 - slope)
            // Converged (the last step, applied without re-evaluation, leaves an error ~ step²), or
            // a step backwards no larger than the 1e-10 quadrature noise in C.
            if abs(step) <= 1e-9 { return CorrelationFixedPoint(value: c + step, slope: slope) }
            if step < 0 && -step < 1e-8 { break }
            guard step > 0, c + step < 1 else { return try bracketedFixedPoint(chi1: chi1, from: c) }
            c += step
            (value, slope) = try valueAndSlope(at: c)
        }
        return CorrelationFixedPoint(value: c, slope: slope)
    }

    /// The root in (0, 1) of p(c) − c for the cubic p with p(0) = C(0), p′(0) = C′(0), p(1) = 1,
    /// p′(1) = χ₁ (by bisection on the cubic; no quadrature), or the Newton step from 0 if the
    /// cubic has no sign change there.
    static func hermiteGuess(value0: Double, slope0: Double, slope1: Double) -> Double {
        func p(_ t: Double) -> Double {
            let t2 = t * t
            let t3 = t2 * t
            return (2 * t3 - 3 * t2 + 1) * value0 + (t3 - 2 * t2 + t) * slope0 + (-2 * t3 + 3 * t2) + (t3 - t2) * slope1
        }
        let newtonFromZero = slope0 < 1 ? min(0.999, value0 / (1 - slope0)) : 0.5
        // g = p − c is positive at 0; look for the last sign change before the tangency at 1.
        var upper = 1 - 1e-6
        guard p(upper) - upper < 0 else { return newtonFromZero }
        var lower = 0.0
        for _ in 0..<60 {
            let middle = 0.5 * (lower + upper)
            if p(middle) - middle > 0 { lower = middle } else { upper = middle }
        }
        let guess = 0.5 * (lower + upper)
        return guess > 0 && guess < 1 ? guess : newtonFromZero
    }

    /// Brent's method on C(c) − c over [lower, 1 − δ], δ the first of 10⁻¹…10⁻¹⁰ with C(1 − δ) < 1 − δ.
    private func bracketedFixedPoint(chi1: Double, from start: Double) throws -> CorrelationFixedPoint {
        var lower = start
        if try self(lower) - lower <= 0 { lower = 0 }
        var delta = 0.1
        while delta >= 1e-10 {
            let upper = 1 - delta
            if upper > lower, try self(upper) - upper < 0 {
                let root = try RootFinding.brent(lower, upper, absoluteTolerance: 1e-13, solving: "C(c) = c") { c in
                    try self(c) - c
                }
                return CorrelationFixedPoint(value: root, slope: try slope(at: root))
            }
            delta /= 10
        }
        // χ₁ exceeds 1 by too little for c* to be told apart from 1.
        return CorrelationFixedPoint(value: 1, slope: chi1)
    }
}

/// A fixed point c* = C(c*) of the correlation map.
public struct CorrelationFixedPoint: Sendable, Equatable {
    /// c*: 1 in the ordered phase (inputs become identical), < 1 in the chaotic phase.
    public let value: Double
    /// χ_c = C′(c*).
    public let slope: Double

    /// ξ_c = −1/ln χ_c, the depth over which correlations approach c* (Schoenholz et al., ICLR 2017);
    /// +∞ at the edge of chaos.
    public var depthScale: Double { depthScaleFromRate(slope) }
}
