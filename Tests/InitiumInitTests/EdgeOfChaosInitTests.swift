import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// E[f(√q·Z)] by the trapezoid rule on [−10, 10] with 2 001 points — an independent check of
/// the theory module's quadrature (for smooth integrands under a Gaussian weight the trapezoid
/// rule converges geometrically; the error here is far below 1e-9).
private func gaussianExpectation(_ q: Double, _ f: (Double) -> Double) -> Double {
    let n = 2_000, h = 20.0 / Double(n)
    var sum = 0.0
    for i in 0...n {
        let z = -10 + Double(i) * h
        let w = (i == 0 || i == n) ? 0.5 : 1.0
        sum += w * f(q.squareRoot() * z) * exp(-z * z / 2)
    }
    return sum * h / (2 * Double.pi).squareRoot()
}

/// For tanh and σ_b² = 0.05: at the scheme's σ_w² the variance map's fixed point q* satisfies
/// χ₁ = σ_w²·E[sech⁴(√q* Z)] = 1 (to 1e-6), with q* found by bisection on V(q) − q (positive
/// at 0 since σ_b² > 0, negative for large q) using the independent quadrature above. Weights and biases have variances σ_w²/fan_in and σ_b² (5 s.e.).
@Test func eocIsCriticalForTanh() throws {
    let context = InitializationContext(key: RandomKey(seed: 0), activation: .tanh)
    let rule = EdgeOfChaosInitializer(biasVariance: 0.05)
    let (sw2, sb2) = try rule.point(context)
    #expect(sb2 == 0.05)
    var (low, high) = (0.0, 10.0)
    for _ in 0..<60 {
        let mid = (low + high) / 2
        let mapped = sw2 * gaussianExpectation(mid) { pow(tanh($0), 2) } + sb2
        if mapped > mid { low = mid } else { high = mid }
    }
    let q = (low + high) / 2
    let chi1 = sw2 * gaussianExpectation(q) { pow(1 / cosh($0), 4) }
    #expect(abs(chi1 - 1) < 1e-6, "chi1 = \(chi1), q* = \(q), sigma_w2 = \(sw2)")
    let w = try Scheme("eoc(sigma-b2=0.05)").sample(WeightLayout([300, 200]), key: RandomKey(seed: 1), context: context)
    expectMoments(w.scalars, mean: 0, variance: sw2 / 200)
    let b = try #require(try rule.bias(count: 20_000, for: WeightLayout([20_000, 10]), key: RandomKey(seed: 2), context: context))
    expectMoments(b.scalars, mean: 0, variance: 0.05)
}

/// ReLU's only critical point is He's: σ_w² = 2, σ_b² = 0 (the default for scale-free
/// activations); asking for σ_b² > 0 is an error; no activation is an error.
@Test func eocForReLUIsHe() throws {
    let relu = InitializationContext(key: RandomKey(seed: 0), activation: .relu)
    let (sw2, sb2) = try EdgeOfChaosInitializer(biasVariance: nil).point(relu)
    #expect(abs(sw2 - 2) < 1e-9 && sb2 == 0)
    #expect(throws: InitiumError.self) { try Scheme("eoc(sigma-b2=0.1)").sample(WeightLayout([4, 4]), key: RandomKey(seed: 0), context: relu) }
    #expect(throws: InitiumError.self) { try Scheme("eoc").sample(WeightLayout([4, 4]), key: RandomKey(seed: 0)) }
}
