import InitiumCore
import Testing
@testable import InitiumNN

/// A tensor of deterministic pseudo-random values in [low, high) for tests.
func layerTestTensor(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    try! Tensor.uniform(shape, low: low, high: high, key: RandomKey(seed: seed))
}

/// Checks a module's gradients — with respect to its input and every trainable parameter — against
/// central finite differences of L = Σ y ⊙ R for a fixed random R, at up to `entries` evenly
/// spread elements of each tensor (enough to catch a wrong pullback, cheap in debug builds).
/// Token-id inputs (`differentiableInput: false`) are not differentiated.
///
/// Each evaluation uses a fresh context with the same key, so stochastic layers draw the same
/// mask. With h = 1e-2 and O(1) values the central difference's truncation error is ≈1e-4 and
/// Float32 rounding ≈ ε·|L|/h ≈ 1e-5·|L|; 2e-2 relative to max(1, |g|) is tight against wrong
/// pullbacks (whose errors are O(1)) and loose against rounding.
func expectModuleGradientsMatchFiniteDifferences(
    _ module: any Module, input: Tensor, mode: ForwardContext.Mode = .training, entries: Int = 8,
    step h: Float = 1e-2, tolerance: Float = 2e-2, differentiableInput: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let key = RandomKey(seed: 5)
    func context() -> ForwardContext { ForwardContext(mode: mode, recordsGradients: true, key: key) }
    let probe = Parameter(input)
    let firstOutput = try module.forward(probe.tracked, context: context())
    let weights = layerTestTensor(firstOutput.shape, seed: 77)
    func loss(_ x: Tensor) throws -> Float {
        try (module.forward(x, context: context()).detached() * weights).sum().scalar
    }
    module.zeroGradients()
    try (firstOutput * weights).sum().backward()
    var tensors: [(name: String, parameter: Parameter, gradient: Tensor?)] =
        differentiableInput ? [("input", probe, probe.gradient)] : []
    for (path, parameter) in module.namedParameters where parameter.isTrainable {
        tensors.append((path, parameter, parameter.gradient))
    }
    for (name, parameter, gradient) in tensors {
        let analytic = try #require(gradient, "no gradient for \(name)", sourceLocation: sourceLocation)
        let count = parameter.value.count
        let stride = max(1, count / entries)
        var worst: Float = 0
        for i in Swift.stride(from: 0, to: count, by: stride) {
            let original = parameter.value[flat: i]
            parameter.value[flat: i] = original + h
            let plus = try loss(name == "input" ? parameter.value : input)
            parameter.value[flat: i] = original - h
            let minus = try loss(name == "input" ? parameter.value : input)
            parameter.value[flat: i] = original
            let numeric = (plus - minus) / (2 * h)
            worst = max(worst, abs(numeric - analytic[flat: i]) / max(1, abs(numeric)))
        }
        #expect(worst < tolerance, "\(name): max relative gradient error \(worst)", sourceLocation: sourceLocation)
    }
}
