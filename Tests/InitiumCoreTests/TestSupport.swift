import Testing
@testable import InitiumCore

/// Central finite-difference gradient check: for a scalar function f of one input tensor,
/// compares the autodiff gradient with (f(x+h·eᵢ) − f(x−h·eᵢ))/2h, computed in Float32.
/// With h = 1e-2 on O(1) inputs the central difference has O(h²) truncation error ≈ 1e-4 and
/// Float32 rounding of the difference ≈ ε·|f|/h ≈ 1e-5·|f|, so 2e-2 relative to max(1, |g|) is
/// a tight bound that still catches any wrong pullback (errors there are O(1)).
func expectGradientMatchesFiniteDifferences(
    _ x: Tensor, step h: Float = 1e-2, tolerance: Float = 2e-2,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ f: (Tensor) throws -> Tensor
) throws {
    let parameter = Parameter(x)
    let y = try f(parameter.tracked)
    try y.backward()
    let analytic = try #require(parameter.gradient, sourceLocation: sourceLocation)
    #expect(analytic.shape == x.shape, sourceLocation: sourceLocation)
    var worst: Float = 0
    for i in 0..<x.count {
        var plus = x, minus = x
        plus[flat: i] += h
        minus[flat: i] -= h
        let numeric = (try f(plus).scalar - f(minus).scalar) / (2 * h)
        let error = abs(numeric - analytic[flat: i]) / max(1, abs(numeric))
        worst = max(worst, error)
    }
    #expect(worst < tolerance, "max relative gradient error \(worst)", sourceLocation: sourceLocation)
}

/// A tensor of deterministic pseudo-random values in [-1, 1) for tests.
func testTensor(_ shape: [Int], seed: UInt64 = 7, low: Float = -1, high: Float = 1) -> Tensor {
    try! Tensor.uniform(shape, low: low, high: high, key: RandomKey(seed: seed))
}
