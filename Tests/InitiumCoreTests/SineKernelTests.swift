import Foundation
import Testing
@testable import InitiumCore

/// The vectorized sine and cosine against libm in Double, for arguments up to |x| = 150 (SIREN's
/// ω·x with ω = 30 reaches ~100) and a few large ones: absolute error below 3e-7 (the Float32
/// argument is exact; the reduction and the polynomials each add about one ulp of the result).
@Test func vectorizedSineAndCosineMatchLibm() throws {
    let values = (-15000...15000).map { Float($0) / 100 } + [1000.3, -2048.7, 9999.9, 0.1e-6, -3.1415927, 1.5707964]
    let x = try Tensor(shape: [values.count], scalars: values)
    for (function, reference) in [(PointwiseFunction.sin, Foundation.sin as (Double) -> Double), (.cos, Foundation.cos)] {
        let y = function.apply(x)
        var worst = 0.0
        for (i, v) in values.enumerated() { worst = max(worst, abs(Double(y[flat: i]) - reference(Double(v)))) }
        #expect(worst < 3e-7, "\(function): max error \(worst)")
    }
}

/// The sine activation sin(ωx) and its derivative ω·cos(ωx) against libm at ω = 30 over
/// x ∈ [−4, 4] (|ωx| ≤ 120): the kernel computes the product ωx in Float32 as before, so the
/// reference is taken at that product; errors below 3e-7 absolute (derivative: ω times that).
@Test func sineActivationAndDerivativeMatchLibm() throws {
    let values = (-4000...4000).map { Float($0) / 1000 }
    let x = try Tensor(shape: [values.count], scalars: values)
    let function = PointwiseFunction.sine(omega: 30)
    let y = function.forward(x)
    let slope = function.pullback(Tensor(shape: x.shape, repeating: 1), input: x, output: y)
    for (i, v) in values.enumerated() {
        let u = Double(30 * v)
        #expect(abs(Double(y[flat: i]) - Foundation.sin(u)) < 3e-7, "sin at \(v)")
        #expect(abs(Double(slope[flat: i]) - 30 * Foundation.cos(u)) < 30 * 3e-7, "slope at \(v)")
    }
}

/// sinc(ωx) = sin(ωx)/(ωx) is 1 at 0 and matches sin(u)/u in Double elsewhere (relative to
/// max(|value|, 1e-3): the kernel's error is absolute, about 2 ulps of 1); its derivative
/// ω(u cos u − sin u)/u² matches the Double formula (series near 0, where the formula cancels),
/// including across the switch between series and quotient at |u| = 1.
@Test func sincValueAndDerivative() throws {
    let values = (-3000...3000).map { Float($0) / 1000 } + [1e-8, -1e-30, 0.4999, 0.5001, 0.49999997]
    let omega: Float = 2
    let x = try Tensor(shape: [values.count], scalars: values)
    let function = PointwiseFunction.sinc(omega: omega)
    let y = function.forward(x)
    let slope = function.pullback(Tensor(shape: x.shape, repeating: 1), input: x, output: y)
    #expect(function.forward(Tensor(shape: [1], repeating: 0)).scalars == [1])
    for (i, v) in values.enumerated() {
        let u = Double(omega * v)
        let (value, derivative): (Double, Double)
        if abs(u) < 1e-3 {
            (value, derivative) = (1 - u * u / 6, -u / 3 + u * u * u / 30)
        } else {
            (value, derivative) = (Foundation.sin(u) / u, (u * Foundation.cos(u) - Foundation.sin(u)) / (u * u))
        }
        #expect(abs(Double(y[flat: i]) - value) < 4e-7, "sinc at \(v): \(y[flat: i]) vs \(value)")
        #expect(abs(Double(slope[flat: i]) - Double(omega) * derivative) < 2e-6, "sinc′ at \(v): \(slope[flat: i]) vs \(derivative)")
    }
}

/// Near and at 0, sinc's pullback agrees with central finite differences (sinc is smooth there,
/// so no kink needs avoiding; 0 itself is included).
@Test func sincGradientNearZeroMatchesFiniteDifferences() throws {
    let x = try Tensor(shape: [2, 4], scalars: [0, 1e-4, -0.003, 0.02, -0.05, 0.2, 0.45, -0.8])
    try expectGradientMatchesFiniteDifferences(x, step: 1e-3) { try (PointwiseFunction.sinc(omega: 2).apply($0) * testTensor($0.shape, seed: 99)).sum() }
    try expectGradientMatchesFiniteDifferences(x, step: 1e-3) { try (PointwiseFunction.sinc(omega: 30).apply($0) * testTensor($0.shape, seed: 99)).sum() }
}
