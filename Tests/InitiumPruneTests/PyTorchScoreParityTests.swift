import Foundation
import InitiumCore
import InitiumNN
import InitiumTestSupport
import Testing
@testable import InitiumPrune

/// One network of `Fixtures/pruning_scores.json`, written by `scripts/make_pruning_fixtures.py`:
/// PyTorch (float64) implementations of the papers' scores and proxies, on hashed weights.
private struct ScoreFixture: Decodable {
    struct Proxies: Decodable {
        let synflow, snip, grasp, fisher: Double
        let gradNorm, jacobCov, gradsignSum, gradsignMean: Double

        enum CodingKeys: String, CodingKey {
            case synflow, snip, grasp, fisher, gradNorm = "grad_norm", jacobCov = "jacob_cov"
            case gradsignSum = "gradsign_sum", gradsignMean = "gradsign_mean"
        }
    }

    let tensors: [HashRule]
    let input: HashRule
    let labels: [Int32]
    let snip: [String: SampledReference]
    let grasp: [String: SampledReference]
    let synflow: [String: SampledReference]
    let proxies: Proxies
    let gradsignFragile: Int

    enum CodingKeys: String, CodingKey {
        case tensors, input, labels, snip, grasp, synflow, proxies, gradsignFragile = "gradsign_fragile"
    }
}

private let scoreFixtures: [String: ScoreFixture] = {
    let url = Bundle.module.url(forResource: "pruning_scores", withExtension: "json", subdirectory: "Fixtures")!
    return try! JSONDecoder().decode([String: ScoreFixture].self, from: Data(contentsOf: url))
}()


/// The network with the fixture's weights, its batch, and the map from the script's weight names
/// (`1.weight`, PyTorch `nn.Sequential` indices) to Initium's prunable weights: both networks list
/// their Linear/Conv layers in the same order.
private func loadNetwork(_ name: String) throws -> (model: any Module, fixture: ScoreFixture, x: Tensor, weights: [PrunableWeight], torchNames: [String]) {
    let fixture = try #require(scoreFixtures[name])
    let model = try ModelSpec(name).build(activation: .relu, inputShape: [1, 28, 28], classCount: 10, key: nil)
    let weighted = model.namedModules.filter { $0.module is any WeightedLayer }.map(\.path)
    var torchModules: [String] = []
    for rule in fixture.tensors {
        let module = String(rule.name!.split(separator: ".")[0])
        if !torchModules.contains(module) { torchModules.append(module) }
    }
    try #require(weighted.count == torchModules.count)
    for rule in fixture.tensors {
        let parts = rule.name!.split(separator: ".").map(String.init)
        let path = weighted[torchModules.firstIndex(of: parts[0])!] + "." + parts[1]
        let p = try #require(model.parameter(at: path), "\(rule.name!) → \(path)")
        try #require(p.shape == rule.shape)
        p.value = rule.tensor
    }
    let weights = try PrunableSelection.allWeights.weights(of: model)
    try #require(weights.map(\.layerPath) == weighted)
    return (model, fixture, fixture.input.tensor, weights, torchModules.map { $0 + ".weight" })
}

/// SNIP, GraSP (T = 200) and SynFlow scores of every weight, elementwise against PyTorch on a
/// 4-layer ReLU MLP and LeNet-5 (eval mode, Synaptic-Flow's configuration for pruning).
///
/// Tolerances, relative to each layer's largest score: SNIP and SynFlow are one float32 backward
/// pass (~1e-6 here), bound 1e-4. GraSP's Hg is a central difference of float32 gradients in
/// Initium (``Gradients/hessianVectorProduct(model:parameters:inputs:labels:vector:temperature:mode:)``)
/// against PyTorch's double backward: ScoreTests allows ~1% of Hg at T = 200 for a softmax
/// regression, where the probabilities barely move; on these networks the error is ~2e-5 of the
/// largest score, bound 1e-3. A dropped factor, a wrong sign or a missing temperature errs by O(1).
@Test(arguments: ["mlp:784-64-32-16-10", "lenet5"])
func pruningScoresMatchPyTorch(name: String) throws {
    let (model, fixture, x, weights, torchNames) = try loadNetwork(name)
    let data = ScoringData(inputs: x, labels: fixture.labels, exampleShape: [1, 28, 28], key: RandomKey(seed: 0))
    let cases: [(String, any SaliencyScore, [String: SampledReference], Double)] = [
        ("snip", SNIPScore(), fixture.snip, 1e-4),
        ("synflow", SynFlowScore(), fixture.synflow, 1e-4),
        ("grasp", GraSPScore(), fixture.grasp, 1e-3),
    ]
    for (label, score, expected, tolerance) in cases {
        let scores = try score.scores(model: model, weights: weights, data: data)
        #expect(scores.count == torchNames.count)
        var worst = 0.0
        for (s, torchName) in zip(scores, torchNames) {
            let reference = try #require(expected[torchName], "\(label): no reference for \(torchName)")
            worst = max(worst, reference.relativeError(of: s))
        }
        print("\(name) \(label): max relative score error \(worst)")
        #expect(worst < tolerance, "\(name) \(label): relative error \(worst)")
    }
}

/// The zero-cost proxies of ``ProxyScores/measure(_:inputs:labels:progress:)`` against the
/// script's implementations of the papers' definitions (train mode; synflow in eval mode).
///
/// Tolerances: synflow, snip, grad_norm and fisher are sums of float32 backward-pass products,
/// ~1e-7 relative here: bound 1e-4. grasp uses T = 1, where the central-difference Hg is good to
/// ~1e-3 of its largest entry (ScoreTests' bound for T = 1 is 2e-3) and −Σ θ⊙Hg cancels partly
/// (terms of both signs): measured 8e-4 and 3e-3, bound 1e-2. jacob_cov, −Σ log(λ + k) + 1/(λ + k)
/// over the eigenvalues of an 8×8 correlation matrix, is ~1e-9 relative here (no eigenvalue is
/// near k); bound 1e-4. gradsign counts signs: an entry where some |∂ℓᵢ/∂θ| is below 1e-6 of that example's
/// largest gradient may flip in float32, changing |Σ sign| by at most 2, so the sum may differ by
/// at most 2 × the script's `gradsign_fragile` count (3–6 of ~60 000 entries).
@Test(arguments: ["mlp:784-64-32-16-10", "lenet5"])
func zeroCostProxiesMatchPyTorch(name: String) throws {
    let (model, fixture, x, weights, _) = try loadNetwork(name)
    let scores = try ProxyScores.measure(model, inputs: x, labels: fixture.labels)
    let expected = fixture.proxies
    let rows: [(String, Double, Double, Double)] = [
        ("synflow", scores.synflow, expected.synflow, 1e-4),
        ("snip", scores.snip, expected.snip, 1e-4),
        ("grad_norm", scores.gradNorm, expected.gradNorm, 1e-4),
        ("fisher", scores.fisher, expected.fisher, 1e-4),
        ("grasp", scores.grasp, expected.grasp, 1e-2),
        ("jacob_cov", scores.jacobCov, expected.jacobCov, 1e-4),
    ]
    for (label, ours, reference, tolerance) in rows {
        print("\(name) \(label): \(ours) vs PyTorch \(reference), relative error \(relativeError(ours, reference))")
        #expect(relativeError(ours, reference) < tolerance, "\(name) \(label): \(ours) vs \(reference)")
    }
    let slack = Double(2 * fixture.gradsignFragile)
    let weightCount = Double(weights.reduce(0) { $0 + $1.count })
    print("\(name) gradsign: \(scores.gradsignSum) vs PyTorch \(expected.gradsignSum) (slack \(slack))")
    #expect(abs(scores.gradsignSum - expected.gradsignSum) <= slack)
    #expect(abs(scores.gradsignMean - expected.gradsignMean) <= slack / weightCount + 1e-12)
    #expect(abs(expected.gradsignMean * weightCount - expected.gradsignSum) < 1e-6 * expected.gradsignSum)
}
