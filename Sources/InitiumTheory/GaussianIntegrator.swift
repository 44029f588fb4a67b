import Foundation

/// A quadrature result with an estimate of its absolute error.
public struct Estimate: Sendable, Equatable {
    /// The computed value.
    public let value: Double
    /// An estimate of |value − exact|: the difference between the two successive quadratures that
    /// agreed to the tolerance. The returned value is the finer one, usually far more accurate.
    public let errorBound: Double
}

/// Expectations over standard normal variables, E[f(Z)] and E[f(U₁, U₂)] for a correlated pair,
/// accurate to `relativeTolerance` or else a thrown `TheoryError.quadratureDidNotConverge`.
///
/// Every result comes from two successive estimates that agree to the tolerance (relative to E|f|,
/// so integrals that vanish by symmetry, like E[tanh Z] = 0, are accepted at an absolute error of
/// `relativeTolerance · E|f|`); the finer one is returned.
///
/// - **Smooth integrands** (no breakpoints) climb a ladder of fixed rules: probabilists'
///   Gauss–Hermite with 24, 48 and 96 nodes (Golub–Welsch), then composite 12-point Gauss–Legendre
///   on [−10, 10] with panel widths 2, 1 and ½ (120, 240, 480 nodes; the tail mass beyond 10 is
///   < 1e-23). Gauss–Hermite wins for very smooth integrands at small variance; for tanh at q ≳ 1
///   its convergence stalls (the poles at ±iπ/(2√q) approach the real axis relative to the
///   Gaussian's width), so once two Hermite orders differ by more than 1e-6 the remaining Hermite
///   rules are skipped. The same ladder of tensor-product rules serves 2-D expectations.
/// - **Kinks, or a ladder that does not converge**: adaptive Gauss–Legendre on [−L, L] (L = 13,
///   tail mass < 1e-38), split at every breakpoint and at a fixed grid, bisecting the panel with the
///   largest error estimate |G₁₂(I) − G₁₂(left) − G₁₂(right)| until the total error meets the
///   tolerance. Plain Gauss–Hermite converges slowly across kinks, so breakpoints route straight here.
///
/// The integrator owns its rules (computed once in `init`, well under a millisecond), so it is a
/// value to build once and pass to every computation; there is no global cache.
public struct GaussianIntegrator: Sendable {
    /// The accepted error relative to E|f| (default 1e-10, leaving head-room for 1e-9 end results).
    public let relativeTolerance: Double
    /// Integration range [−L, L] in standard-normal units for the adaptive path.
    public let truncation: Double
    /// The adaptive path gives up after this many subintervals.
    public let maximumIntervals: Int
    /// Fixed rules for E[f(Z)], coarse to fine; consecutive entries are compared.
    let ladder: [LadderRule]
    let legendre: GaussRule

    /// One rung of the smooth-integrand ladder: E[f(Z)] ≈ Σ weights[i] f(nodes[i]), with nodes
    /// symmetric about 0. For even f the same sum is Σ halfWeights[i] f(halfNodes[i]) over the
    /// nodes z ≥ 0, with weights doubled for z > 0.
    struct LadderRule: Sendable {
        let nodes: [Double]
        let weights: [Double]
        let halfNodes: [Double]
        let halfWeights: [Double]
        let isHermite: Bool

        init(nodes: [Double], weights: [Double], isHermite: Bool) {
            self.nodes = nodes
            self.weights = weights
            self.isHermite = isHermite
            var halfNodes: [Double] = []
            var halfWeights: [Double] = []
            for (node, weight) in zip(nodes, weights) where node >= 0 {
                halfNodes.append(node)
                halfWeights.append(node > 0 ? 2 * weight : weight)
            }
            self.halfNodes = halfNodes
            self.halfWeights = halfWeights
        }
    }

    /// The default integrator: relative tolerance 1e-10, Gauss–Hermite orders 24, 48, 96,
    /// truncation L = 13 and at most 6000 adaptive subintervals.
    public init() {
        // These literal settings satisfy every check of the configurable initializer.
        self = try! GaussianIntegrator(relativeTolerance: 1e-10)
    }

    /// An integrator with its own settings; throws `invalidParameter` for a tolerance outside
    /// (0, 1), a non-positive or non-increasing Hermite order, a non-positive truncation or interval budget.
    public init(
        relativeTolerance: Double, hermiteOrders: [Int] = [24, 48, 96], truncation: Double = 13,
        maximumIntervals: Int = 6000
    ) throws {
        guard relativeTolerance > 0, relativeTolerance < 1 else {
            throw TheoryError.invalidParameter(name: "relative tolerance", value: relativeTolerance, requirement: "in (0, 1)")
        }
        guard let first = hermiteOrders.first, first >= 1, zip(hermiteOrders, hermiteOrders.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw TheoryError.invalidParameter(
                name: "hermite orders", value: Double(hermiteOrders.first ?? 0), requirement: "positive and increasing")
        }
        guard truncation.isFinite, truncation > 0 else {
            throw TheoryError.invalidParameter(name: "truncation", value: truncation, requirement: "finite and positive")
        }
        guard maximumIntervals > 0 else {
            throw TheoryError.invalidParameter(name: "maximum intervals", value: Double(maximumIntervals), requirement: "positive")
        }
        self.relativeTolerance = relativeTolerance
        self.truncation = truncation
        self.maximumIntervals = maximumIntervals
        let legendre = try GaussRule.legendre(order: 12)
        self.legendre = legendre
        let hermite = try hermiteOrders.map { order -> LadderRule in
            let rule = try GaussRule.hermite(order: order)
            return LadderRule(nodes: rule.nodes, weights: rule.weights, isHermite: true)
        }
        let composite = [2.0, 1.0, 0.5].map { width -> LadderRule in
            var nodes: [Double] = []
            var weights: [Double] = []
            var lower = -10.0
            while lower < 10 - 1e-12 {
                let half = 0.5 * width
                let middle = lower + half
                for (t, w) in zip(legendre.nodes, legendre.weights) {
                    let z = middle + half * t
                    nodes.append(z)
                    weights.append(w * half * StandardNormal.density(z))
                }
                lower += width
            }
            return LadderRule(nodes: nodes, weights: weights, isHermite: false)
        }
        ladder = hermite + composite
    }

    /// The same rules with another tolerance (no recomputation: the rule arrays are shared).
    func withRelativeTolerance(_ tolerance: Double) -> GaussianIntegrator {
        GaussianIntegrator(
            relativeTolerance: tolerance, truncation: truncation, maximumIntervals: maximumIntervals,
            ladder: ladder, legendre: legendre)
    }

    private init(
        relativeTolerance: Double, truncation: Double, maximumIntervals: Int, ladder: [LadderRule], legendre: GaussRule
    ) {
        self.relativeTolerance = relativeTolerance
        self.truncation = truncation
        self.maximumIntervals = maximumIntervals
        self.ladder = ladder
        self.legendre = legendre
    }

    /// E[f(Z)] for Z ~ N(0, 1). `breakpoints` lists the z where f or a low derivative jumps.
    public func expectation(breakpoints: [Double] = [], _ f: (Double) throws -> Double) throws -> Estimate {
        let result = try expectations(breakpoints: breakpoints) { z in SIMD4(try f(z), 0, 0, 0) }
        return Estimate(value: result.value[0], errorBound: result.error[0])
    }

    /// E[f(U₁, U₂)] for standard normals with correlation c: U₁ = Z₁, U₂ = c Z₁ + √(1 − c²) Z₂.
    /// `breakpoints` lists the kinks of f in u₁ and in u₂. See `pairExpectations` for the method.
    public func expectation(
        correlation c: Double, breakpoints: (first: [Double], second: [Double]) = ([], []),
        _ f: (Double, Double) throws -> Double
    ) throws -> Estimate {
        // Rows hold their inner integrand as a closure, which Swift treats as escaping; it never
        // outlives this call.
        let result = try withoutActuallyEscaping(f) { f in
            try pairExpectations(correlation: c, breakpoints: breakpoints) { u1 in
                (SIMD4(1, 0, 0, 0), { u2 in SIMD4(try f(u1, u2), 0, 0, 0) })
            }
        }
        return Estimate(value: result.value[0], errorBound: result.error[0])
    }

    /// One row of a correlated-pair integrand at U₁ = u₁: a factor A(u₁) and the function of U₂ it
    /// multiplies, so that f(u₁, u₂) = A(u₁) ⊙ B_{u₁}(u₂). Returning nil marks a row where f ≡ 0.
    typealias PairRow = (factor: SIMD4<Double>, inner: (Double) throws -> SIMD4<Double>)

    /// Up to four correlated-pair expectations E[A(U₁) ⊙ B_{U₁}(U₂)] sharing one set of evaluations.
    ///
    /// The row form lets separable integrands such as the correlation map's φ(U₁)φ(U₂) evaluate
    /// φ(U₁) once per row and skip rows where it vanishes. Smooth integrands (no breakpoints) use
    /// the ladder of tensor-product rules Σᵢ wᵢ A(zᵢ) Σⱼ wⱼ B(c zᵢ + s zⱼ), s = √(1 − c²). Otherwise
    /// (or if the ladder does not converge) it is an iterated integral: the inner expectation over
    /// Z₂ is smooth in Z₁ except near the kinks of its integrand, which are passed on as outer
    /// breakpoints; inner integrals run at 1/100 of the tolerance so that their residual errors,
    /// which vary with Z₁, stay below what the outer error estimate must resolve.
    ///
    /// `isEven` promises f(−u₁, −u₂) = f(u₁, u₂): then only rows with z₁ ≥ 0 are summed, those with
    /// z₁ > 0 twice, since (z₁, z₂) ↦ (−z₁, −z₂) maps each symmetric rule onto itself.
    func pairExpectations(
        correlation c: Double, breakpoints: (first: [Double], second: [Double]), isEven: Bool = false,
        row: (Double) throws -> PairRow?
    ) throws -> (value: SIMD4<Double>, error: SIMD4<Double>) {
        guard c.isFinite, abs(c) <= 1 else {
            throw TheoryError.invalidParameter(name: "correlation", value: c, requirement: "in [-1, 1]")
        }
        let s = ((1 - c) * (1 + c)).squareRoot()
        if s == 0 {
            return try expectations(breakpoints: breakpoints.first + breakpoints.second.map { $0 / c }) { z in
                guard let row = try row(z) else { return .zero }
                return try row.factor * row.inner(c * z)
            }
        }
        let hasKinks = !(breakpoints.first + breakpoints.second).filter { $0.isFinite && abs($0) < truncation }.isEmpty
        if !hasKinks {
            let result = try climbLadder { rule in
                let (rowNodes, rowWeights) = isEven ? (rule.halfNodes, rule.halfWeights) : (rule.nodes, rule.weights)
                var sum = SIMD4<Double>.zero
                var magnitude = SIMD4<Double>.zero
                for i in rowNodes.indices {
                    let z1 = rowNodes[i]
                    guard let row = try row(z1), row.factor != .zero else { continue }
                    var inner = SIMD4<Double>.zero
                    var innerMagnitude = SIMD4<Double>.zero
                    for j in rule.nodes.indices {
                        let value = try row.inner(c * z1 + s * rule.nodes[j])
                        inner += rule.weights[j] * value
                        innerMagnitude += rule.weights[j] * abs(value)
                    }
                    sum += rowWeights[i] * (row.factor * inner)
                    magnitude += rowWeights[i] * (abs(row.factor) * innerMagnitude)
                }
                return (sum, magnitude)
            }
            if let result { return result }
        }
        var outerBreakpoints = breakpoints.first
        if c != 0 { outerBreakpoints += breakpoints.second.map { $0 / c } }
        let innerIntegrator = withRelativeTolerance(max(relativeTolerance / 100, 1e-15))
        var innerError = SIMD4<Double>.zero
        let outer = try expectations(breakpoints: outerBreakpoints) { z1 in
            guard let row = try row(z1), row.factor != .zero else { return .zero }
            let inner = try innerIntegrator.expectations(breakpoints: breakpoints.second.map { ($0 - c * z1) / s }) { z2 in
                try row.inner(c * z1 + s * z2)
            }
            innerError = pointwiseMax(innerError, abs(row.factor) * inner.error)
            return row.factor * inner.value
        }
        return (outer.value, outer.error + innerError)
    }

    /// Applies the ladder's rules in turn (via `apply`, which returns the estimate and E|f|) until two
    /// consecutive estimates agree. Hermite rungs are skipped once two of them differ by more than
    /// 1e-6 relative: their convergence has stalled and the composite rungs will do better.
    private func climbLadder(
        _ apply: (LadderRule) throws -> (SIMD4<Double>, SIMD4<Double>)
    ) throws -> (value: SIMD4<Double>, error: SIMD4<Double>)? {
        var previous: SIMD4<Double>?
        var hermiteStalled = false
        for rule in ladder {
            if rule.isHermite && hermiteStalled { continue }
            let (sum, magnitude) = try apply(rule)
            guard sum.isFinite else { return nil }
            if let previous {
                let error = abs(sum - previous)
                if accepts(error: error, value: sum, magnitude: magnitude) { return (sum, error) }
                if rule.isHermite, !accepts(error: error, value: sum, magnitude: magnitude, tolerance: 1e-6) {
                    hermiteStalled = true
                }
            }
            previous = sum
        }
        return nil
    }

    /// Up to four expectations sharing one set of integrand evaluations (lanes of a SIMD4).
    /// `isEven` promises f(−z) = f(z) (and symmetric breakpoints), so only z ≥ 0 is evaluated.
    func expectations(
        breakpoints: [Double], isEven: Bool = false, _ f: (Double) throws -> SIMD4<Double>
    ) throws -> (value: SIMD4<Double>, error: SIMD4<Double>) {
        let cuts = Array(Set(breakpoints.filter { $0.isFinite && abs($0) < truncation })).sorted()
        if cuts.isEmpty, let result = try ladderExpectations(isEven: isEven, f) { return result }
        if isEven, cuts.allSatisfy({ cuts.contains(-$0) }) {
            let half = try adaptiveExpectations(cuts: cuts.filter { $0 > 0 }, from: 0, f)
            return (2 * half.value, 2 * half.error)
        }
        return try adaptiveExpectations(cuts: cuts, from: -truncation, f)
    }

    private func accepts(
        error: SIMD4<Double>, value: SIMD4<Double>, magnitude: SIMD4<Double>, tolerance: Double? = nil
    ) -> Bool {
        let allowed = (tolerance ?? relativeTolerance) * (abs(value) + magnitude) + .leastNormalMagnitude
        return all(error .<= allowed)
    }

    /// The 1-D ladder; nil if no two consecutive rungs agree.
    private func ladderExpectations(
        isEven: Bool, _ f: (Double) throws -> SIMD4<Double>
    ) throws -> (value: SIMD4<Double>, error: SIMD4<Double>)? {
        try climbLadder { rule in
            let (nodes, weights) = isEven ? (rule.halfNodes, rule.halfWeights) : (rule.nodes, rule.weights)
            var sum = SIMD4<Double>.zero
            var magnitude = SIMD4<Double>.zero
            for i in nodes.indices {
                let value = try f(nodes[i])
                sum += weights[i] * value
                magnitude += weights[i] * abs(value)
            }
            return (sum, magnitude)
        }
    }

    private struct Interval {
        var lower: Double
        var upper: Double
        var whole: SIMD4<Double>
        var left: SIMD4<Double>
        var right: SIMD4<Double>
        var magnitude: SIMD4<Double>
        var error: SIMD4<Double> { abs(left + right - whole) }
    }

    /// Gauss–Legendre of f(z)ϕ(z) on [a, b]; also returns the integral of |f|ϕ.
    private func legendreSum(
        _ a: Double, _ b: Double, _ f: (Double) throws -> SIMD4<Double>
    ) throws -> (SIMD4<Double>, SIMD4<Double>) {
        let half = 0.5 * (b - a)
        let middle = 0.5 * (a + b)
        var sum = SIMD4<Double>.zero
        var magnitude = SIMD4<Double>.zero
        for i in 0..<legendre.order {
            let z = middle + half * legendre.nodes[i]
            let weight = legendre.weights[i] * half * StandardNormal.density(z)
            let value = try f(z)
            sum += weight * value
            magnitude += weight * abs(value)
        }
        return (sum, magnitude)
    }

    private func makeInterval(
        _ a: Double, _ b: Double, whole: SIMD4<Double>?, _ f: (Double) throws -> SIMD4<Double>
    ) throws -> Interval {
        let middle = 0.5 * (a + b)
        let whole = try whole ?? legendreSum(a, b, f).0
        let (left, leftMagnitude) = try legendreSum(a, middle, f)
        let (right, rightMagnitude) = try legendreSum(middle, b, f)
        return Interval(
            lower: a, upper: b, whole: whole, left: left, right: right,
            magnitude: leftMagnitude + rightMagnitude)
    }

    /// Adaptive bisection over [start, L] (start = −L, or 0 for the half line of an even integrand),
    /// pre-split at the breakpoints and at a grid that resolves ϕ.
    private func adaptiveExpectations(
        cuts: [Double], from start: Double, _ f: (Double) throws -> SIMD4<Double>
    ) throws -> (value: SIMD4<Double>, error: SIMD4<Double>) {
        let grid: [Double] = [-8, -6, -4, -2, 0, 2, 4, 6, 8].filter { abs($0) < truncation }
        let edges = Array(Set([start, truncation] + grid + cuts)).filter { $0 >= start }.sorted()
        var intervals: [Interval] = []
        for (a, b) in zip(edges, edges.dropFirst()) {
            intervals.append(try makeInterval(a, b, whole: nil, f))
        }
        while true {
            var value = SIMD4<Double>.zero
            var error = SIMD4<Double>.zero
            var magnitude = SIMD4<Double>.zero
            for interval in intervals {
                value += interval.left + interval.right
                error += interval.error
                magnitude += interval.magnitude
            }
            guard value.isFinite else {
                throw TheoryError.quadratureDidNotConverge(errorEstimate: .nan, tolerance: relativeTolerance)
            }
            if accepts(error: error, value: value, magnitude: magnitude) { return (value, error) }
            guard intervals.count < maximumIntervals else {
                let worst = (error / (abs(value) + magnitude + .leastNormalMagnitude)).max()
                throw TheoryError.quadratureDidNotConverge(errorEstimate: worst, tolerance: relativeTolerance)
            }
            // Bisect the interval contributing most to the (relative) error.
            let scale = abs(value) + magnitude + .leastNormalMagnitude
            var worstIndex = 0
            var worstRatio = -1.0
            for (index, interval) in intervals.enumerated() {
                let ratio = (interval.error / scale).max()
                if ratio > worstRatio {
                    worstRatio = ratio
                    worstIndex = index
                }
            }
            let interval = intervals[worstIndex]
            let middle = 0.5 * (interval.lower + interval.upper)
            guard middle > interval.lower, middle < interval.upper else {
                throw TheoryError.quadratureDidNotConverge(
                    errorEstimate: (error / scale).max(), tolerance: relativeTolerance)
            }
            intervals[worstIndex] = try makeInterval(interval.lower, middle, whole: interval.left, f)
            intervals.append(try makeInterval(middle, interval.upper, whole: interval.right, f))
        }
    }
}

extension SIMD4 where Scalar == Double {
    var isFinite: Bool { x.isFinite && y.isFinite && z.isFinite && w.isFinite }
}

func abs(_ v: SIMD4<Double>) -> SIMD4<Double> {
    v.replacing(with: -v, where: v .< 0)
}

func pointwiseMax(_ a: SIMD4<Double>, _ b: SIMD4<Double>) -> SIMD4<Double> {
    a.replacing(with: b, where: b .> a)
}
