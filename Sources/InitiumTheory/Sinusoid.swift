import Foundation

/// φ(x) = sin(ωx) with exact Gaussian expectations (the `sine` activation of SIREN, Sitzmann et al.,
/// NeurIPS 2020, usually with ω = 30, where any quadrature would need thousands of nodes).
///
/// With X = μ + sZ and θ = ωX, φᵖ φ′ʳ = ωʳ sinᵖθ cosʳθ is a trigonometric polynomial
/// Σₘ dₘ e^{imθ} (from sin θ = (e^{iθ} − e^{−iθ})/2i, cos θ = (e^{iθ} + e^{−iθ})/2), and
/// E[e^{ibZ} He_k(Z)] = (ib)ᵏ e^{−b²/2} (Gaussian integration by parts). For a correlated pair,
/// E[e^{i(αU₁ + βU₂)}] = exp(−(α²q₁ + β²q₂ + 2αβ c√(q₁q₂))/2).
struct Sinusoid: Sendable, Equatable {
    /// ω.
    let frequency: Double

    /// E[φ(X)ᵖ φ′(X)ʳ He_k(Z)] for X = μ + sZ.
    func expectation(
        valuePower p: Int, derivativePower r: Int, hermiteOrder k: Int, mean μ: Double, standardDeviation s: Double
    ) -> Double {
        // Laurent coefficients of sinᵖθ cosʳθ in e^{iθ}, as (m → complex coefficient).
        var terms: [Int: Complex] = [0: Complex(1, 0)]
        func multiply(_ factor: [Int: Complex]) {
            var product: [Int: Complex] = [:]
            for (m, a) in terms {
                for (n, b) in factor { product[m + n, default: Complex(0, 0)] += a * b }
            }
            terms = product
        }
        for _ in 0..<p { multiply([1: Complex(0, -0.5), -1: Complex(0, 0.5)]) }
        for _ in 0..<r { multiply([1: Complex(0.5, 0), -1: Complex(0.5, 0)]) }
        var total = Complex(0, 0)
        for (m, coefficient) in terms {
            let b = Double(m) * frequency * s
            // e^{imωμ} · (ib)ᵏ · e^{−b²/2}
            var factor = Complex(cos(Double(m) * frequency * μ), sin(Double(m) * frequency * μ)) * exp(-0.5 * b * b)
            for _ in 0..<k { factor = factor * Complex(0, b) }
            total += coefficient * factor
        }
        return total.real * integerPower(frequency, r)
    }

    /// (E[φ(U₁)φ(U₂)], E[φ′(U₁)φ′(U₂)]) for centred U₁, U₂ with variances q₁, q₂ and correlation c:
    /// sin·sin = (cos(θ₁ − θ₂) − cos(θ₁ + θ₂))/2 and cos·cos = (cos(θ₁ − θ₂) + cos(θ₁ + θ₂))/2 with
    /// E[cos(θ₁ ∓ θ₂)] = exp(−ω²(q₁ + q₂ ∓ 2c√(q₁q₂))/2).
    func crossExpectations(variances q1: Double, _ q2: Double, correlation c: Double) -> (value: Double, derivative: Double) {
        let w2 = frequency * frequency
        let rho = c * (q1 * q2).squareRoot()
        let difference = exp(-0.5 * w2 * (q1 + q2 - 2 * rho))
        let sum = exp(-0.5 * w2 * (q1 + q2 + 2 * rho))
        return (0.5 * (difference - sum), 0.5 * w2 * (difference + sum))
    }
}

/// A minimal complex number for the trigonometric expansions above.
struct Complex: Sendable, Equatable {
    var real: Double
    var imaginary: Double

    init(_ real: Double, _ imaginary: Double) {
        self.real = real
        self.imaginary = imaginary
    }

    static func + (a: Complex, b: Complex) -> Complex { Complex(a.real + b.real, a.imaginary + b.imaginary) }
    static func += (a: inout Complex, b: Complex) { a = a + b }
    static func * (a: Complex, b: Complex) -> Complex {
        Complex(a.real * b.real - a.imaginary * b.imaginary, a.real * b.imaginary + a.imaginary * b.real)
    }
    static func * (a: Complex, b: Double) -> Complex { Complex(a.real * b, a.imaginary * b) }
}
