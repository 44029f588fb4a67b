import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// `gain=exact` = 1/√E[φ(Z)²], against the anchors survey's independent 200-point Gauss–Hermite
/// values (shared/spec/anchors-initializer-libraries.md (b) 8, printed to 5–6 digits, so 2e-5).
@Test(arguments: [("relu", 1.41421), ("tanh", 1.59254), ("sigmoid", 1.84623), ("gelu", 1.53353),
                  ("silu", 1.67653), ("elu", 1.24519), ("softplus", 1.04187), ("leaky-relu", 1.41414)])
func exactGainMatchesIndependentQuadrature(activation: String, expected: Double) throws {
    let g = try Gain.exact.resolved(activation: try Activation(activation))
    #expect(abs(g - expected) < 2e-5, "\(activation): \(g)")
}

/// The gain reaches the weights: he-normal(gain=exact) with tanh has variance 1.59254²/fan_in.
@Test func exactGainScalesVarianceScaling() throws {
    let context = InitializationContext(key: RandomKey(seed: 0), activation: try Activation("tanh"))
    let w = try Scheme("he-normal(gain=exact)").sample(WeightLayout([300, 400]), key: RandomKey(seed: 7), context: context)
    expectMoments(w.scalars, mean: 0, variance: 1.59254 * 1.59254 / 400)
    let o = try Scheme("orthogonal(gain=exact)").sample(WeightLayout([50, 50]), key: RandomKey(seed: 7), context: context)
    #expect(orthogonalityError(o * Float(1 / 1.59254), rows: 50, columns: 50, ofRows: true) < 1e-4)
}

/// Without the network's activation, exact has nothing to compute from: a clear error.
@Test func exactGainNeedsAnActivation() throws {
    let scheme = try Scheme("glorot-uniform(gain=exact)")
    #expect(scheme.description == "glorot-uniform(gain=exact)")
    #expect(throws: InitiumError.self) { try scheme.sample(WeightLayout([4, 4]), key: RandomKey(seed: 0)) }
}

/// PyTorch's table values.
@Test func tableGainsArePyTorchs() throws {
    #expect(try Gain("tanh").resolved() == 5.0 / 3.0)
    #expect(try Gain("relu").resolved() == 2.0.squareRoot())
    #expect(try Gain("selu").resolved() == 0.75)
    #expect(abs(try Gain("leaky-relu(slope=0.2)").resolved() - (2 / 1.04).squareRoot()) < 1e-7)
    #expect(throws: InitiumError.self) { try Gain("0") }
}

/// GELU's tanh form: 1/√E[φ(Z)²] = 1.5335805 from NumPy's 200-point Gauss–Hermite rule
/// (`scripts/gelu_tanh_gain.py`), close to but distinct from the erf form's 1.53353.
@Test func exactGainOfGeluTanhMatchesIndependentQuadrature() throws {
    let g = try Gain.exact.resolved(activation: try Activation("gelu-tanh"))
    #expect(abs(g - 1.5335805) < 2e-6, "gelu-tanh: \(g)")
}
