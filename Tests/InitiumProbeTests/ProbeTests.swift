import Foundation
import InitiumCore
import InitiumInit
import InitiumNN
import Testing
@testable import InitiumProbe

/// For a network with identity activations, J = W_L ⋯ W_2 (from the first layer's output to the
/// last hidden layer's): its squared singular values are the eigenvalues of JJᵀ, computed here
/// independently with a naive product.
@Test func jacobianOfALinearNetworkIsTheWeightProduct() throws {
    let model = try MLP(widths: [6, 5, 5, 5, 3], activation: .identity, scope: Scope(key: RandomKey(seed: 1)))
    let inputs = try Tensor.normal([2, 6], key: RandomKey(seed: 2))
    let spectrum = try JacobianSpectrum(model: model, inputs: inputs, examples: 1)
    #expect(spectrum.from == "layers.0" && spectrum.to == "layers.4")
    let w2 = model.parameter(at: "layers.2.weight")!.value, w3 = model.parameter(at: "layers.4.weight")!.value
    let j = try w3.matmul(w2)
    let gram = try j.matmul(j, transposeOther: true).scalars.map(Double.init)
    let eigenvalues = try Linalg.symmetricEigenvalues(gram, size: 5)
    let mean = eigenvalues.reduce(0, +) / 5
    #expect(abs(spectrum.meanSquaredSingularValue - mean) < 1e-4 * max(1, mean))
    #expect(abs(spectrum.maximumSingularValue! - eigenvalues.max()!.squareRoot()) < 1e-4)
}

/// The first layer's prediction σ_w²·mean(x²) + σ_b² is exact in expectation; the tanh MLP's
/// later predictions follow the variance map. At width 512 one draw fluctuates by ≈ √(2/512) ≈ 6%
/// per layer, so a 25% bound on every layer is a loose but failing-on-bugs check.
@Test func signalReportPredictsVariancesOfAWideTanhNetwork() throws {
    let model = try MLP(widths: [64, 512, 512, 512, 10], activation: .tanh, scope: Scope(key: RandomKey(seed: 3)))
    try Scheme("glorot-normal").apply(to: model, context: InitializationContext(key: RandomKey(seed: 4)))
    let inputs = try Tensor.normal([256, 64], key: RandomKey(seed: 5))
    let report = try SignalPropagationReport(model: model, inputs: inputs, labels: nil, activation: .tanh)
    #expect(report.layers.map(\.name) == ["layers.0", "layers.2", "layers.4", "layers.6"])
    for layer in report.layers.dropLast() {
        let error = try #require(layer.relativeError)
        #expect(error < 0.25, "\(layer.name): \(error)")
        #expect(layer.gradientVariance != nil && layer.verdict == "ok")
    }
    #expect(report.summary.contains("healthy"))
}

/// A ReLU network initialized with variance 1/(3·fan_in) (PyTorch's default) loses variance by
/// ×1/6 per layer: vanishing; He-normal keeps it: no layer flagged.
@Test func verdictsSeparateVanishingFromHealthy() throws {
    let inputs = try Tensor.normal([128, 100], key: RandomKey(seed: 6))
    let widths = [100] + Array(repeating: 256, count: 10) + [10]
    let shrinking = try MLP(widths: widths, activation: .relu, scope: Scope(key: RandomKey(seed: 7)))
    try Scheme("torch-default").apply(to: shrinking, context: InitializationContext(key: RandomKey(seed: 8)))
    let bad = try SignalPropagationReport(model: shrinking, inputs: inputs, labels: nil, activation: .relu)
    #expect(bad.layers.contains { $0.verdict == "vanishing" })
    #expect(bad.summary.contains("vanishing"))
    let healthy = try MLP(widths: widths, activation: .relu, scope: Scope(key: RandomKey(seed: 7)))
    try Scheme("he-normal").apply(to: healthy, context: InitializationContext(key: RandomKey(seed: 8)))
    let good = try SignalPropagationReport(model: healthy, inputs: inputs, labels: nil, activation: .relu)
    #expect(good.layers.allSatisfy { $0.verdict == "ok" }, "\(good.layers.map(\.verdict))")
}

/// A network with all-zero logits except one class' bias predicts that class for every input: G_max = 1.
@Test func guessingBiasDetectsAConstantPredictor() throws {
    let inputs = try Tensor.normal([50, 4], key: RandomKey(seed: 9))
    let bias = try GuessingBias(seeds: [0, 1, 2], inputs: inputs, classes: 3) { seed in
        let model = try MLP(widths: [4, 3], activation: .relu, scope: Scope(key: RandomKey(seed: seed)))
        model.parameter(at: "layers.0.weight")!.value = Tensor.zeros([3, 4])
        model.parameter(at: "layers.0.bias")!.value = try Tensor(shape: [3], scalars: [0, 1, 0])
        return model
    }
    #expect(bias.gMax == [1, 1, 1] && bias.verdict == "strong")
    #expect(GuessingBias.verdict(medianGMax: 0.12, classes: 10) == "none")
}

/// pNTK of a linear model f(x) = Wx + b with O outputs: ∇_W Σf = 1xᵀ, ∇_b Σf = 1, so
/// pNTK(x, x′) = (O·xᵀx′ + O)/O = xᵀx′ + 1, independently of W.
@Test func pseudoNTKOfALinearModelIsTheLinearKernel() throws {
    let model = try MLP(widths: [5, 4], activation: .identity, scope: Scope(key: RandomKey(seed: 10)))
    let inputs = try Tensor.normal([6, 5], key: RandomKey(seed: 11))
    let ntk = try PseudoNTK(model: model, inputs: inputs, budget: 8)
    for a in 0..<6 {
        for b in 0..<6 {
            var dot = 1.0
            for k in 0..<5 { dot += Double(inputs[a, k]) * Double(inputs[b, k]) }
            #expect(abs(ntk.kernel[a * 6 + b] - dot) < 1e-4 * max(1, abs(dot)))
        }
    }
    #expect(ntk.eigenvalues.allSatisfy { $0 > -1e-6 })
}

@Test func layerRotationStartsAtZeroAndGrowsWithChange() throws {
    let model = try MLP(widths: [4, 8, 2], activation: .relu, scope: Scope(key: RandomKey(seed: 12)))
    let tracker = LayerRotationTracker(model: model)
    #expect(tracker.distances().allSatisfy { abs($0) < 1e-6 })
    let w = model.parameter(at: "layers.0.weight")!
    w.value = w.value * 3
    #expect(abs(tracker.distances()[0]) < 1e-6)
    w.value = -w.value
    #expect(abs(tracker.distances()[0] - 2) < 1e-6)
}
