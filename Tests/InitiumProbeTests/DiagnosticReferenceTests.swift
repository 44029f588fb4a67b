import Foundation
import InitiumCore
import InitiumInit
import InitiumNN
import InitiumTestSupport
import Testing
@testable import InitiumProbe

// Diagnostics against independent references (issue 19, item 2). Each fixture comes from a
// NumPy/SciPy/PyTorch script named in its test; the networks' weights are hash rules from the
// fixture, loaded by parameter path.

// MARK: - CKA (scripts/make_cka_fixture.py)

private struct CKAFixture: Decodable {
    let x: StoredTensor, y: StoredTensor
    let linear: Double
    let rbf: [String: Double]
    let minibatch_rows: [[Int]]
    let minibatch: Double
    let uncentred_linear: Double
}

/// Linear, RBF (two bandwidths) and minibatch unbiased-HSIC CKA on skewed, far-from-centred
/// representations equal NumPy's. Both sides work in Double from the same Float32 inputs, so the
/// only differences are summation order: 1e-9 relative is far above that and far below any
/// missing term (without centring the linear value would be 0.907 instead of 0.523).
@Test func ckaMatchesNumPyOnNonCentredNonGaussianInputs() throws {
    let f = try loadFixture("cka_reference", as: CKAFixture.self)
    let x = try f.x.tensor, y = try f.y.tensor
    expectClose(try CKA.linear(x, y), f.linear, relative: 1e-9, "linear CKA")
    for (fraction, reference) in f.rbf {
        expectClose(try CKA.rbf(x, y, fraction: Double(fraction)!), reference, relative: 1e-9, "RBF CKA, fraction \(fraction)")
    }
    let pairs = try f.minibatch_rows.map { r in (try x.slice(axis: 0, r[0]..<r[1]), try y.slice(axis: 0, r[0]..<r[1])) }
    expectClose(try CKA.minibatch(pairs), f.minibatch, relative: 1e-9, "minibatch CKA (unbiased HSIC)")
    // The fixture itself discriminates: centring matters for these inputs.
    #expect(abs(f.uncentred_linear - f.linear) > 0.1)
}

// MARK: - Jacobian spectrum and pNTK (scripts/make_jacobian_ntk_fixture.py)

private struct SpectrumReference: Decodable {
    let rows: Int, columns: Int, examples: Int
    let mean_sq: Double, var_sq: Double, max_singular: Double, min_singular: Double
}

private struct NTKReference: Decodable {
    let kernel: [Double], size: Int, eigenvalues: [Double], trace: Double
}

private struct NetworkFixture: Decodable {
    let widths: [Int]?
    let activation: String?
    let tensors: [HashRule]
    let input: HashRule
    let spectrum: SpectrumReference
    let pntk: NTKReference
}

private struct BiasFixture: Decodable {
    let input: HashRule
    let draws: [[HashRule]]
    let g_max: [Double]
    let near_ties: [Int]
    let median: Double
    let classes: Int
}

private struct JacobianFixture: Decodable {
    let mlpTanh: NetworkFixture, mlpRelu: NetworkFixture, lenet5: NetworkFixture
    let guessingBias: BiasFixture

    enum CodingKeys: String, CodingKey {
        case mlpTanh = "mlp-tanh", mlpRelu = "mlp-relu", lenet5, guessingBias = "guessing_bias"
    }
}

private let jacobianFixture = Result { try loadFixture("jacobian_ntk", as: JacobianFixture.self) }

private func lenet5(_ rules: [HashRule]) throws -> any Module {
    let model = try ModelSpec("lenet5").build(activation: .relu, inputShape: [1, 28, 28], classCount: 10, key: nil)
    try loadParameters(rules, into: model)
    return model
}

private func network(_ name: String) throws -> (model: any Module, inputs: Tensor, reference: NetworkFixture) {
    let f = try jacobianFixture.get()
    switch name {
    case "lenet5":
        return (try lenet5(f.lenet5.tensors), f.lenet5.input.tensor, f.lenet5)
    default:
        let n = name == "mlp-tanh" ? f.mlpTanh : f.mlpRelu
        let model = try MLP(widths: n.widths!, activation: n.activation == "tanh" ? .tanh : .relu, scope: Scope(key: nil))
        try loadParameters(n.tensors, into: model)
        return (model, n.input.tensor, n)
    }
}

/// The exact spectrum of J = ∂h^L/∂h¹ (first weighted layer's pre-activation to the last hidden
/// one's) of tanh and ReLU MLPs and of lenet5 (84 × 4704, through ReLU and max-pooling) equals
/// PyTorch's autograd Jacobian on the same weights. Initium runs in Float32, the reference in
/// float64: 1e-4 relative on the mean and the largest value covers Float32 rounding over these
/// depths; the smallest singular value is ill-conditioned (ReLU maps are rank-deficient, so it
/// is 0 up to rounding), hence an absolute 2e-3·σ_max. A missing φ′ factor, a wrong start or end
/// layer or the classifier included would change the mean by far more.
@Test(arguments: ["mlp-tanh", "mlp-relu", "lenet5"])
func jacobianSpectrumMatchesPyTorch(name: String) throws {
    let (model, inputs, reference) = try network(name)
    let r = reference.spectrum
    let s = try JacobianSpectrum(model: model, inputs: inputs, examples: r.examples)
    #expect(s.isExact && s.rows == r.rows && s.columns == r.columns && s.examples == r.examples)
    expectClose(s.meanSquaredSingularValue, r.mean_sq, relative: 1e-4, "\(name) mean σ²")
    expectClose(try #require(s.varianceSquaredSingularValue), r.var_sq, relative: 1e-4, "\(name) var σ²")
    expectClose(try #require(s.maximumSingularValue), r.max_singular, relative: 1e-4, "\(name) σ_max")
    #expect(abs(try #require(s.minimumSingularValue) - r.min_singular) <= 2e-3 * r.max_singular, "\(name) σ_min")
}

/// The pNTK of the same networks equals PyTorch's (1/O)⟨∇θΣf(x), ∇θΣf(x′)⟩ element by element.
/// Gradients are Float32 sums over up to 61 706 parameters; 1e-4 of the kernel's largest entry
/// bounds their rounding, while a missing 1/O or a missing bias gradient is a factor off.
@Test(arguments: ["mlp-tanh", "mlp-relu", "lenet5"])
func pseudoNTKMatchesPyTorch(name: String) throws {
    let (model, inputs, reference) = try network(name)
    let r = reference.pntk
    // A small budget forces several parameter groups, so the group-wise accumulation is exercised.
    let ntk = try PseudoNTK(model: model, inputs: inputs, budget: 4096)
    #expect(ntk.size == r.size)
    let scale = r.kernel.map(abs).max()!
    for (i, (a, b)) in zip(ntk.kernel, r.kernel).enumerated() {
        #expect(abs(a - b) <= 1e-4 * scale, "\(name) K[\(i / r.size), \(i % r.size)]: \(a) vs \(b)")
    }
    for (a, b) in zip(ntk.eigenvalues, r.eigenvalues) { #expect(abs(a - b) <= 1e-4 * scale, "\(name) eigenvalue \(a) vs \(b)") }
    expectClose(ntk.trace, r.trace, relative: 1e-4, "\(name) trace")
}

/// Initial guessing bias of untrained lenet5 (three PyTorch-default weight draws, 300 pixel-like
/// inputs) equals PyTorch's G_max. Logits whose top two differ by less than 1e-4 could flip under
/// a different Float32 summation order; the script counts them per draw and only that many
/// predictions may differ. ReLU + max-pooling make the bias strong (Francazi et al.), so the
/// verdict must be `strong`, not just any value.
@Test func guessingBiasOfUntrainedLeNet5MatchesPyTorch() throws {
    let f = try jacobianFixture.get().guessingBias
    let inputs = f.input.tensor
    let bias = try GuessingBias(seeds: [0, 1, 2], inputs: inputs, classes: f.classes) { seed in try lenet5(f.draws[Int(seed)]) }
    let n = Double(inputs.shape[0])
    for d in 0..<3 {
        #expect(abs(bias.gMax[d] - f.g_max[d]) <= Double(f.near_ties[d]) / n + 1e-12, "draw \(d): \(bias.gMax[d]) vs \(f.g_max[d])")
    }
    #expect(abs(bias.median - f.median) <= Double(f.near_ties.max()!) / n + 1e-12)
    #expect(bias.verdict == (f.median > 0.5 ? "strong" : f.median > 2 / Double(f.classes) ? "present" : "none"))
    #expect(bias.verdict == "strong")
}

// MARK: - theory simulate (scripts/make_mean_field_fixture.py)

private struct MeanFieldFixture: Decodable {
    struct Config: Decodable {
        let activation: String
        let sigma_w2: Double, sigma_b2: Double
        let width: Int, depth: Int, pairs: Int
        let q0: Double, c0: Double
        let reference_networks: Int
        let measured_q: [Double], measured_q_sd: [Double]
        let measured_c: [Double], measured_c_sd: [Double]
        let predicted_q: [Double], predicted_q_sd: [Double]
        let predicted_c: [Double], predicted_c_sd: [Double]
    }

    let networks: Int
    let configs: [Config]
}

/// `theory simulate`'s measured and predicted per-layer q and c agree with a NumPy simulation of
/// the same random networks (tanh in the chaotic phase, ReLU with biases). Initium draws with its
/// own generator, so means are compared: Initium's over `networks` draws against NumPy's over
/// 400, within 5 standard errors sd·√(1/networks + 1/400) from NumPy's across-network sd (a false
/// failure is a < 1e-6 event per comparison). Dropping the bias, a wrong weight variance or a
/// missing φ moves q by many standard errors within a few layers.
@Test func meanFieldSimulationMatchesNumPySimulation() throws {
    let f = try loadFixture("mean_field_simulation", as: MeanFieldFixture.self)
    for c in f.configs {
        let simulation = MeanFieldSimulation(
            activation: c.activation == "tanh" ? .tanh : .relu, weightVariance: c.sigma_w2, biasVariance: c.sigma_b2,
            width: c.width, depth: c.depth, pairs: c.pairs, inputVariance: c.q0, inputCorrelation: c.c0, networks: f.networks)
        let layers = try simulation.run(key: RandomKey(seed: 19))
        #expect(layers.count == c.depth + 1)
        let k = (1 / Double(f.networks) + 1 / Double(c.reference_networks)).squareRoot()
        for l in layers {
            let i = l.layer
            func check(_ value: Double, _ mean: [Double], _ sd: [Double], _ what: String) {
                #expect(abs(value - mean[i]) <= 5 * sd[i] * k + 1e-9, "\(c.activation) layer \(i) \(what): \(value) vs \(mean[i]) ± \(5 * sd[i] * k)")
            }
            check(l.measuredQ, c.measured_q, c.measured_q_sd, "measured q")
            check(l.measuredC, c.measured_c, c.measured_c_sd, "measured c")
            check(l.predictedQ, c.predicted_q, c.predicted_q_sd, "predicted q")
            check(l.predictedC, c.predicted_c, c.predicted_c_sd, "predicted c")
        }
    }
}

// MARK: - Signal-propagation report (scripts/make_signal_report_fixture.py)

private struct SignalFixture: Decodable {
    struct Layer: Decodable {
        let name: String
        let sigma_w2: Double, sigma_b2: Double
        let predicted: Double, measured_second_moment: Double, relative_error: Double, tolerance: Double
    }

    let widths: [Int]
    let tensors: [HashRule]
    let input: HashRule
    let layers: [Layer]
}

/// The report on a wide tanh MLP with σ_b² = 0.3 equals NumPy's on the same weights: σ_w², σ_b²,
/// the measured second moments and the mean-field predictions to 1e-5 (Float32 matmuls against
/// float64; 100-point quadrature both sides). And the prediction is as good as the theory allows:
/// each hidden layer's relative error lies within the tolerance the script measured over 300
/// independent draws of this architecture (mean + 4 sd: 0.9%, 4.7%, 7.7% by depth), where
/// leaving out σ_b² would add about 30%.
@Test func signalReportMatchesNumPyWithNonZeroBiases() throws {
    let f = try loadFixture("signal_report", as: SignalFixture.self)
    let model = try MLP(widths: f.widths, activation: .tanh, scope: Scope(key: nil))
    try loadParameters(f.tensors, into: model)
    let report = try SignalPropagationReport(model: model, inputs: f.input.tensor, labels: nil, activation: .tanh)
    #expect(report.layers.map(\.name) == f.layers.map(\.name))
    for (ours, reference) in zip(report.layers, f.layers) {
        expectClose(ours.weightVariance, reference.sigma_w2, relative: 1e-5, "\(ours.name) σ_w²")
        expectClose(ours.biasVariance, reference.sigma_b2, relative: 1e-5, "\(ours.name) σ_b²")
        expectClose(ours.preVariance + ours.preMean * ours.preMean, reference.measured_second_moment, relative: 1e-5, "\(ours.name) measured q")
        expectClose(try #require(ours.predictedVariance), reference.predicted, relative: 1e-5, "\(ours.name) predicted q")
    }
    for (ours, reference) in zip(report.layers.dropLast(), f.layers.dropLast()) {
        let error = try #require(ours.relativeError)
        #expect(reference.tolerance < 0.08)
        #expect(error <= reference.tolerance, "\(ours.name): relative error \(error) beyond \(reference.tolerance)")
        #expect(ours.verdict == "ok")
    }
}

// MARK: - Verdicts on networks built to trigger them

/// Inputs and a ReLU or tanh MLP of four 256-wide hidden layers, initialized by `scheme`.
private func verdictNetwork(_ activation: InitiumNN.Activation, scheme: String) throws -> (MLP, Tensor) {
    let model = try MLP(widths: [32, 256, 256, 256, 256, 10], activation: activation, scope: Scope(key: nil))
    try Scheme(scheme).apply(to: model, context: InitializationContext(key: RandomKey(seed: 41)))
    return (model, try Tensor.normal([128, 32], key: RandomKey(seed: 42)))
}

/// `dead`: a ReLU layer whose bias is −50 for 200 of its 256 units (their pre-activations, of
/// scale ≈ 1.4, can never reach 0) has a dead fraction of at least 200/256 > 1/2. The same
/// network with He-normal and zero biases is `ok` throughout, so the verdict is caused by the units.
@Test func deadVerdictOnAReLULayerWithDeadUnits() throws {
    let (model, inputs) = try verdictNetwork(.relu, scheme: "he-normal")
    let healthy = try SignalPropagationReport(model: model, inputs: inputs, labels: nil, activation: .relu)
    #expect(healthy.layers.allSatisfy { $0.verdict == "ok" }, "\(healthy.layers.map(\.verdict))")
    let bias = try #require(model.parameter(at: "layers.2.bias"))
    bias.value = try Tensor(shape: [256], scalars: (0..<256).map { $0 < 200 ? -50 : 0 })
    let report = try SignalPropagationReport(model: model, inputs: inputs, labels: nil, activation: .relu)
    let layer = try #require(report.layers.first { $0.name == "layers.2" })
    #expect(layer.deadFraction >= 200.0 / 256 && layer.verdict == "dead")
    #expect(report.summary.contains("dead by layer 2"), "\(report.summary)")
}

/// `saturated`: a tanh layer whose weights are 40× Glorot has pre-activations of standard
/// deviation ≈ 16 (40 × the healthy layer's ≈ 0.4), so about 89% lie beyond |x| = 2.18 where
/// tanh′ < 5% (a Gaussian of that width has 89% outside ±2.18). Checked before the
/// variance verdicts, so it wins over the ×1600 jump of the forward variance.
@Test func saturatedVerdictOnATanhLayerWithHugeWeights() throws {
    let (model, inputs) = try verdictNetwork(.tanh, scheme: "glorot-normal")
    let healthy = try SignalPropagationReport(model: model, inputs: inputs, labels: nil, activation: .tanh)
    #expect(healthy.layers.allSatisfy { $0.verdict == "ok" }, "\(healthy.layers.map(\.verdict))")
    let weight = try #require(model.parameter(at: "layers.2.weight"))
    weight.value = weight.value * 40
    let report = try SignalPropagationReport(model: model, inputs: inputs, labels: nil, activation: .tanh)
    let layer = try #require(report.layers.first { $0.name == "layers.2" })
    #expect(layer.saturatedFraction > 0.8, "saturated fraction \(layer.saturatedFraction)")
    #expect(layer.verdict == "saturated")
}

/// `exploding`: a ReLU network with σ_w² = 8 (He with gain 2√2) multiplies the forward variance by
/// σ_w²/2 = 4 per layer, so by the third hidden layer ln(q_l/q₁) = ln 64 ≈ 4.2 exceeds the
/// threshold ln 10 + 4√(2l/256) ≈ 2.9; the backward variance grows ×4 per layer toward the input,
/// so the first layers are flagged too; no layer may be called dead or vanishing.
@Test func explodingVerdictOnAReLUNetworkWithLargeWeights() throws {
    let (model, inputs) = try verdictNetwork(.relu, scheme: "he-normal(gain=2.8284271)")
    let report = try SignalPropagationReport(model: model, inputs: inputs, labels: nil, activation: .relu)
    let verdicts = report.layers.map(\.verdict)
    #expect(verdicts.contains("exploding") && verdicts.allSatisfy { $0 == "ok" || $0 == "exploding" }, "\(verdicts)")
    #expect(report.layers[3].verdict == "exploding")
    #expect(report.summary.contains("exploding"), "\(report.summary)")
    let factor = try #require(report.forwardFactorPerLayer)
    #expect(abs(factor / 4 - 1) < 0.25, "forward factor \(factor)")
}
