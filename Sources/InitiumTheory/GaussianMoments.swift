/// A Gaussian expectation of an activation at pre-activation variance q, with X = √q Z, Z ~ N(0, 1).
///
/// The q-derivatives use the heat-equation identities ∂ϕ_q/∂q = ϕ_q He₂(Z)/(2q) and
/// ∂²ϕ_q/∂q² = ϕ_q He₄(Z)/(4q²) for the N(0, q) density ϕ_q, so they need neither φ′ nor φ″ and
/// stay exact for kinked activations, where φ″ is a Dirac delta.
public enum GaussianQuantity: Sendable, CaseIterable {
    /// E[φ(X)].
    case mean
    /// E[φ(X)²], the second moment that drives the variance map.
    case secondMoment
    /// E[φ′(X)], which gives the correlation map's slope at c = 0, σ_w² E[φ′]².
    case derivativeMean
    /// E[φ′(X)²], which gives χ₁ and the backward gain. For maxout, Σⱼ E[(∂ max/∂uⱼ)²] = 1.
    case derivativeSecondMoment
    /// d/dq E[φ(X)²] = E[φ(X)² (Z² − 1)]/(2q), the slope of the variance map per unit σ_w².
    case secondMomentSlope
    /// d²/dq² E[φ(X)²] = E[φ(X)² He₄(Z)]/(4q²) with He₄ = z⁴ − 6z² + 3.
    case secondMomentCurvature
    /// E[φ(X)⁴], used by the finite-width kurtosis correction.
    case fourthMoment

    /// (p, r, k, scale) such that the quantity is scale · E[φ(X)ᵖ φ′(X)ʳ He_k(Z)].
    func integrand(variance q: Double) -> (valuePower: Int, derivativePower: Int, hermiteOrder: Int, scale: Double) {
        switch self {
        case .mean: return (1, 0, 0, 1)
        case .secondMoment: return (2, 0, 0, 1)
        case .derivativeMean: return (0, 1, 0, 1)
        case .derivativeSecondMoment: return (0, 2, 0, 1)
        case .secondMomentSlope: return (2, 0, 2, 1 / (2 * q))
        case .secondMomentCurvature: return (2, 0, 4, 1 / (4 * q * q))
        case .fourthMoment: return (4, 0, 0, 1)
        }
    }
}

extension MeanFieldActivation {
    /// The smallest variance used in place of q = 0: expectations at q → 0⁺ are limits, e.g.
    /// E[relu′(√q Z)²] = 1/2 for every q > 0, so q = 0 is evaluated at √q ≈ 1e-140.
    static let smallestVariance = 1e-280

    /// One Gaussian expectation of the activation at pre-activation variance q ≥ 0.
    ///
    /// Piecewise-linear activations and the sine use closed forms; others use `integrator`, split at
    /// their kinks.
    public func expectation(
        of quantity: GaussianQuantity, variance q: Double, integrator: GaussianIntegrator
    ) throws -> Double {
        try expectations(of: [quantity], variance: q, integrator: integrator)[0]
    }

    /// Up to four quantities computed from one pass of integrand evaluations (lane i ↔ quantities[i]).
    func expectations(
        of quantities: [GaussianQuantity], variance: Double, integrator: GaussianIntegrator
    ) throws -> SIMD4<Double> {
        precondition(!quantities.isEmpty && quantities.count <= 4)
        guard variance.isFinite, variance >= 0 else { throw TheoryError.negativeVariance(name: "q", value: variance) }
        let q = max(variance, Self.smallestVariance)
        let s = q.squareRoot()
        var valuePowers = SIMD4<Int>.zero
        var derivativePowers = SIMD4<Int>.zero
        var hermiteOrders = SIMD4<Int>.zero
        var scales = SIMD4<Double>.zero
        for (lane, quantity) in quantities.enumerated() {
            let plan = quantity.integrand(variance: q)
            (valuePowers[lane], derivativePowers[lane], hermiteOrders[lane], scales[lane]) =
                (plan.valuePower, plan.derivativePower, plan.hermiteOrder, plan.scale)
        }
        let lanes = quantities.count
        var result = SIMD4<Double>.zero
        switch form {
        case let .piecewiseLinear(form):
            for lane in 0..<lanes {
                result[lane] = scales[lane] * form.expectation(
                    valuePower: valuePowers[lane], derivativePower: derivativePowers[lane],
                    hermiteOrder: hermiteOrders[lane], mean: 0, standardDeviation: s)
            }
        case let .sinusoid(form):
            for lane in 0..<lanes {
                result[lane] = scales[lane] * form.expectation(
                    valuePower: valuePowers[lane], derivativePower: derivativePowers[lane],
                    hermiteOrder: hermiteOrders[lane], mean: 0, standardDeviation: s)
            }
        case let .general(value, _, both, kinks):
            // Parity of each lane's integrand φᵖ φ′ʳ He_k: φ′ has the opposite parity to φ.
            var isEven = parity != .none
            for lane in 0..<lanes where parity != .none {
                let oddFactors = (parity == .odd ? valuePowers[lane] : derivativePowers[lane]) + hermiteOrders[lane]
                if oddFactors % 2 == 1 { isEven = false }
            }
            let needsDerivative = derivativePowers.wrappedSum() > 0
            let sums = try integrator.expectations(
                breakpoints: kinks.isEmpty ? [] : kinks.map { $0 / s }, isEven: isEven
            ) { z in
                let (phi, slope) = needsDerivative ? both(s * z) : (value(s * z), 0)
                var terms = SIMD4<Double>.zero
                for lane in 0..<lanes {
                    var term: Double
                    switch (valuePowers[lane], derivativePowers[lane]) {
                    case (2, 0): term = phi * phi
                    case (0, 2): term = slope * slope
                    case (1, 0): term = phi
                    case (0, 1): term = slope
                    default: term = integerPower(phi, valuePowers[lane]) * integerPower(slope, derivativePowers[lane])
                    }
                    switch hermiteOrders[lane] {
                    case 0: break
                    case 2: term *= z * z - 1
                    default: term *= probabilistsHermite(hermiteOrders[lane], z)
                    }
                    terms[lane] = term
                }
                return terms
            }
            result = scales * sums.value
        case let .maxout(pieces):
            for (lane, quantity) in quantities.enumerated() {
                result[lane] = try Maxout.expectation(of: quantity, pieces: pieces, variance: q, integrator: integrator)
            }
        }
        return result
    }

    /// E[ψ(U₁)ψ(U₂)] with ψ = φ (or φ′ if `derivative`), for a centred Gaussian pair with variances
    /// q₁, q₂ and correlation c — the integral behind the correlation map and χ_c.
    ///
    /// Written as E_{Z₁}[ψ(√q₁ Z₁) · E_{Z₂}[ψ(μ + sZ₂)]] with μ = √q₂ c Z₁, s = √q₂ √(1 − c²). The
    /// inner expectation is closed-form for piecewise-linear activations (outer quadrature split at
    /// the kinks of ψ(√q₁ z₁) and where the inner integrand's kinks cross μ); smooth activations use
    /// the integrator's 2-D rules.
    public func crossExpectation(
        derivative: Bool = false, variances q1: Double, _ q2: Double, correlation c: Double,
        integrator: GaussianIntegrator
    ) throws -> Double {
        let both = try crossExpectations(variances: q1, q2, correlation: c, integrator: integrator)
        return derivative ? both.derivative : both.value
    }

    /// (E[φ(U₁)φ(U₂)], E[φ′(U₁)φ′(U₂)]) from one pass of evaluations.
    func crossExpectations(
        variances q1: Double, _ q2: Double, correlation c: Double, integrator: GaussianIntegrator
    ) throws -> (value: Double, derivative: Double) {
        for (name, q) in [("q1", q1), ("q2", q2)] where !(q.isFinite && q >= 0) {
            throw TheoryError.negativeVariance(name: name, value: q)
        }
        guard c.isFinite, abs(c) <= 1 else {
            throw TheoryError.invalidParameter(name: "correlation", value: c, requirement: "in [-1, 1]")
        }
        let s1 = max(q1, Self.smallestVariance).squareRoot()
        let s2 = max(q2, Self.smallestVariance).squareRoot()
        switch form {
        case .maxout:
            throw TheoryError.unsupported(
                "the correlation map of maxout (a max over k correlated pairs) is not implemented; "
                    + "use its variance map and `theory maxout`")
        case let .sinusoid(form):
            return form.crossExpectations(variances: q1, q2, correlation: c)
        case let .piecewiseLinear(form):
            let innerSD = s2 * ((1 - c) * (1 + c)).squareRoot()
            var outerKinks = form.breakpoints.map { $0 / s1 }
            if c != 0 { outerKinks += form.breakpoints.map { $0 / (s2 * c) } }
            let result = try integrator.expectations(breakpoints: outerKinks) { z1 in
                let value = form.value(at: s1 * z1)
                let slope = form.derivative(at: s1 * z1)
                let mean = s2 * c * z1
                let innerValue = value == 0 ? 0 : form.expectation(
                    valuePower: 1, derivativePower: 0, hermiteOrder: 0, mean: mean, standardDeviation: innerSD)
                let innerSlope = slope == 0 ? 0 : form.expectation(
                    valuePower: 0, derivativePower: 1, hermiteOrder: 0, mean: mean, standardDeviation: innerSD)
                return SIMD4(value * innerValue, slope * innerSlope, 0, 0)
            }
            return (result.value[0], result.value[1])
        case let .general(_, _, both, kinks):
            // Both lanes are even under (u₁, u₂) ↦ (−u₁, −u₂) when φ has a parity.
            let inner: (Double) throws -> SIMD4<Double> = { u2 in
                let (value, slope) = both(s2 * u2)
                return SIMD4(value, slope, 0, 0)
            }
            let result = try integrator.pairExpectations(
                correlation: c, breakpoints: (kinks.map { $0 / s1 }, kinks.map { $0 / s2 }), isEven: parity != .none
            ) { u1 in
                let (value, slope) = both(s1 * u1)
                return (SIMD4(value, slope, 0, 0), inner)
            }
            return (result.value[0], result.value[1])
        }
    }
}

/// He_k(z) by the recurrence He_{k+1} = z He_k − k He_{k−1}, without allocating.
func probabilistsHermite(_ k: Int, _ z: Double) -> Double {
    var previous = 1.0
    guard k > 0 else { return previous }
    var current = z
    var n = 1
    while n < k {
        (previous, current) = (current, z * current - Double(n) * previous)
        n += 1
    }
    return current
}

