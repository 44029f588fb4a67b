/// A continuous or discontinuous piecewise-linear function φ(x) = aᵢ x + bᵢ on the i-th interval
/// between sorted breakpoints, with exact Gaussian expectations.
///
/// For X = μ + s Z, every functional φ(X)ᵖ φ′(X)ʳ He_k(Z) is a polynomial in Z on each interval,
/// so its expectation is a finite sum of truncated normal moments ∫ zʲ ϕ(z) dz
/// (`StandardNormal.truncatedMoments`). This gives closed forms for ReLU, leaky ReLU, the shifted,
/// soft-threshold and clipped activations of Price et al. (ICLR 2024), and the identity.
struct PiecewiseLinear: Sendable, Equatable {
    /// Sorted breakpoints t₁ ≤ … ≤ t_m.
    let breakpoints: [Double]
    /// Slopes a₀…a_m of the m + 1 pieces.
    let slopes: [Double]
    /// Intercepts b₀…b_m of the m + 1 pieces.
    let intercepts: [Double]

    init(breakpoints: [Double], slopes: [Double], intercepts: [Double]) {
        precondition(slopes.count == breakpoints.count + 1 && intercepts.count == slopes.count)
        precondition(zip(breakpoints, breakpoints.dropFirst()).allSatisfy { $0 <= $1 })
        self.breakpoints = breakpoints
        self.slopes = slopes
        self.intercepts = intercepts
    }

    /// φ(λx) = λφ(x) for λ > 0: every piece passes through the origin and kinks only at 0.
    var isPositivelyHomogeneous: Bool {
        breakpoints.allSatisfy { $0 == 0 } && intercepts.allSatisfy { $0 == 0 }
    }

    private func piece(containing x: Double) -> Int {
        var index = 0
        while index < breakpoints.count, x >= breakpoints[index] { index += 1 }
        return index
    }

    /// φ(x).
    func value(at x: Double) -> Double {
        let i = piece(containing: x)
        return slopes[i] * x + intercepts[i]
    }

    /// φ′(x), taking the right-hand piece at a breakpoint.
    func derivative(at x: Double) -> Double {
        slopes[piece(containing: x)]
    }

    /// E[φ(X)ᵖ φ′(X)ʳ He_k(Z)] for X = μ + sZ, Z ~ N(0, 1), in closed form (s ≥ 0).
    func expectation(
        valuePower p: Int, derivativePower r: Int, hermiteOrder k: Int, mean μ: Double, standardDeviation s: Double
    ) -> Double {
        if s == 0 {
            guard k == 0 else { return 0 }
            return integerPower(value(at: μ), p) * integerPower(derivative(at: μ), r)
        }
        let hermite = Polynomial.hermite(k)
        var total = 0.0
        for i in slopes.indices {
            let lower = i == 0 ? -Double.infinity : (breakpoints[i - 1] - μ) / s
            let upper = i == breakpoints.count ? Double.infinity : (breakpoints[i] - μ) / s
            guard lower < upper else { continue }
            let derivativeFactor = integerPower(slopes[i], r)
            guard derivativeFactor != 0 else { continue }
            // On this piece φ(μ + s z) = (aᵢ s) z + (aᵢ μ + bᵢ).
            let line = Polynomial([slopes[i] * μ + intercepts[i], slopes[i] * s])
            let integrand = line.power(p) * hermite
            guard !integrand.isZero else { continue }
            let moments = StandardNormal.truncatedMoments(from: lower, to: upper, maxOrder: integrand.degree)
            total += derivativeFactor * integrand.integrated(against: moments)
        }
        return total
    }
}

/// xⁿ for small non-negative integer exponents, with 0⁰ = 1.
func integerPower(_ base: Double, _ exponent: Int) -> Double {
    var result = 1.0
    for _ in 0..<exponent { result *= base }
    return result
}

/// A real polynomial c₀ + c₁z + c₂z² + … (coefficients in increasing degree).
struct Polynomial: Sendable, Equatable {
    var coefficients: [Double]

    init(_ coefficients: [Double]) { self.coefficients = coefficients }

    var degree: Int { max(0, coefficients.count - 1) }
    var isZero: Bool { coefficients.allSatisfy { $0 == 0 } }

    static func * (lhs: Polynomial, rhs: Polynomial) -> Polynomial {
        var product = [Double](repeating: 0, count: lhs.coefficients.count + rhs.coefficients.count - 1)
        for (i, a) in lhs.coefficients.enumerated() where a != 0 {
            for (j, b) in rhs.coefficients.enumerated() { product[i + j] += a * b }
        }
        return Polynomial(product)
    }

    func power(_ n: Int) -> Polynomial {
        var result = Polynomial([1])
        for _ in 0..<n { result = result * self }
        return result
    }

    /// The probabilists' Hermite polynomial He_k: He₀ = 1, He₁ = z, He_{k+1} = z He_k − k He_{k−1}.
    static func hermite(_ k: Int) -> Polynomial {
        var previous = Polynomial([1])
        guard k > 0 else { return previous }
        var current = Polynomial([0, 1])
        if k >= 2 {
            for n in 1..<k {
                var next = [0] + current.coefficients
                for (j, c) in previous.coefficients.enumerated() { next[j] -= Double(n) * c }
                previous = current
                current = Polynomial(next)
            }
        }
        return current
    }

    /// Σⱼ cⱼ Mⱼ: the integral of the polynomial against moments Mⱼ = ∫ zʲ dμ.
    func integrated(against moments: [Double]) -> Double {
        var total = 0.0
        for (j, c) in coefficients.enumerated() where c != 0 { total += c * moments[j] }
        return total
    }
}
